use super::*;
use crate::model::case::tests::{PATH, SAMPLE};

#[test]
fn a_record_reads_back_what_was_parsed() {
    let (c, d) = FailureCase::parse(PATH, SAMPLE).unwrap();
    let raw = encode(PATH, Some(&c), &d);
    let r = decode(&raw).unwrap();
    let n = r.case.unwrap();
    let want = NewCase::of(&c);
    assert_eq!(
        (n.id, n.folder, n.agent, n.summary, n.incident),
        (
            want.id,
            want.folder,
            want.agent,
            want.summary,
            want.incident
        )
    );
    assert_eq!(
        (n.source, n.severity, n.status),
        (c.source, c.severity, c.status)
    );
    assert_eq!(n.occurred_at, c.occurred_at);
    assert_eq!(n.tags, want.tags);
    let bad = Diagnostic::parse(PATH, 3, "broken");
    let raw = encode(PATH, None, std::slice::from_ref(&bad));
    let r = decode(&raw).unwrap();
    assert!(r.case.is_none());
    assert_eq!(r.diags, vec![bad]);
    for cut in 0..raw.len() {
        assert!(decode(&raw[..cut]).is_none(), "cut at {cut}");
    }
}

#[test]
fn the_cursor_finds_records_in_any_order() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cache");
    let (c, d) = FailureCase::parse(PATH, SAMPLE).unwrap();
    let paths: Vec<String> = (0..50)
        .map(|i| format!("evals/failures/2026-{:02}/c-{i:03}.toml", i % 3 + 1))
        .collect();
    let raws: Vec<Vec<u8>> = paths.iter().map(|p| encode(p, Some(&c), &d)).collect();
    let ids: Vec<BlobId> = (0..50u8).map(|i| [i.wrapping_mul(97); 20]).collect();
    save(&file, ids.iter().zip(raws.iter().map(Vec::as_slice))).unwrap();
    let cache = Cache::open(&file);
    let mut sorted: Vec<usize> = (0..50).collect();
    sorted.sort_by_key(|&i| split(&paths[i]).unwrap());
    let mut reversed = sorted.clone();
    reversed.reverse();
    for order in [sorted, reversed] {
        let mut cur = Cursor::default();
        for i in order {
            assert_eq!(
                cur.raw(&cache, &ids[i], &paths[i]),
                Some(raws[i].as_slice())
            );
            // The right blob at the wrong path, or an unknown blob: none.
            assert_eq!(cur.raw(&cache, &ids[i], &paths[(i + 1) % 50]), None);
            assert_eq!(cur.raw(&cache, &[0xff; 20], &paths[i]), None);
        }
    }
}

#[test]
fn a_damaged_or_foreign_cache_reads_as_empty() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("docket/cache");
    let (c, d) = FailureCase::parse(PATH, SAMPLE).unwrap();
    let raw = encode(PATH, Some(&c), &d);
    let id = [7u8; 20];
    save(&file, std::iter::once((&id, raw.as_slice()))).unwrap();
    let cache = Cache::open(&file);
    assert_eq!(cache.len(), 1);
    assert!(cache.raw(&id, PATH).is_some());
    assert!(cache.raw(&id, "evals/failures/2026-10/x.toml").is_none());
    let good = std::fs::read(&file).unwrap();
    for i in [0, 9, HEADER + 3, good.len() - 1] {
        let mut bad = good.clone();
        bad[i] ^= 0x40;
        std::fs::write(&file, &bad).unwrap();
        assert_eq!(Cache::open(&file).len(), 0, "byte {i} flipped");
    }
    std::fs::write(&file, &good[..good.len() - 5]).unwrap();
    assert_eq!(Cache::open(&file).len(), 0);
    std::fs::remove_file(&file).unwrap();
    assert_eq!(Cache::open(&file).len(), 0);
}
