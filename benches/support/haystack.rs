//! A synthetic haystack of `n` case-like lines (id, three words, agent,
//! tag), shared by the matcher benches when no generated workspace's
//! haystack is given.

pub fn synthetic(n: usize) -> Vec<String> {
    let words = [
        "refund",
        "invoice",
        "policy",
        "window",
        "escalation",
        "customer",
        "billing",
        "flaky",
        "timeout",
        "upgrade",
    ];
    (0..n)
        .map(|i| {
            format!(
                "case-{i:07} {} {} after {} support-triage tone",
                words[i % 10],
                words[(i / 10) % 10],
                words[(i / 100) % 10]
            )
        })
        .collect()
}
