//! `docket sync` over `ssh://` through a local sshd (skipped where there is
//! none): with a key file, through ssh-agent, and the authentication failure
//! when there is neither.

use crate::common::{Run, Sandbox};
use crate::team::Team;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// An sshd on a free local port, serving the sandbox's bare remote; stopped
/// (by its own pid) when dropped.
struct Sshd {
    child: Child,
    port: u16,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn keygen(path: &Path) {
    let ok = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(path)
        .status()
        .unwrap()
        .success();
    assert!(ok);
}

/// Starts sshd, or `None` where this machine cannot run one.
fn sshd(dir: &Path, authorized: &Path) -> Option<Sshd> {
    let bin = Path::new("/usr/sbin/sshd");
    if !bin.exists() || std::fs::create_dir_all("/run/sshd").is_err() {
        return None;
    }
    let host = dir.join("host_key");
    keygen(&host);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = dir.join("sshd_config");
    std::fs::write(
        &config,
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nAuthorizedKeysFile {}\nPidFile {}\nStrictModes no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\nUsePAM no\n",
            host.display(),
            authorized.display(),
            dir.join("sshd.pid").display()
        ),
    )
    .unwrap();
    let child = Command::new(bin)
        .args(["-D", "-e", "-f"])
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut d = Sshd { child, port };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(d);
        }
        if d.child.try_wait().ok().flatten().is_some() {
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    None
}

fn user() -> String {
    let out = Command::new("id").arg("-un").output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// `docket sync` in `dir` with `SSH_AUTH_SOCK` as given (never the
/// machine's own agent).
fn sync(t: &Team, dir: &Path, agent: Option<&Path>) -> Run {
    let mut cmd = t.ws.sb.command(env!("CARGO_BIN_EXE_docket"), dir);
    cmd.env_remove("SSH_AUTH_SOCK").arg("sync");
    if let Some(a) = agent {
        cmd.env("SSH_AUTH_SOCK", a);
    }
    Sandbox::run(&mut cmd)
}

#[test]
fn sync_over_ssh_with_a_key_file_then_the_agent_and_without_either() {
    let t = Team::new();
    let home = t.ws.sb.path().join("home");
    let ssh = home.join(".ssh");
    std::fs::create_dir_all(&ssh).unwrap();
    let key: PathBuf = ssh.join("id_ed25519");
    keygen(&key);
    let authorized = t.ws.sb.path().join("authorized_keys");
    std::fs::copy(key.with_extension("pub"), &authorized).unwrap();
    let Some(server) = sshd(&t.ws.sb.path(), &authorized) else {
        eprintln!("skipped: no sshd can run here");
        return;
    };
    let host_pub = std::fs::read_to_string(t.ws.sb.path().join("host_key.pub")).unwrap();
    let host_pub: Vec<&str> = host_pub.split_whitespace().collect();
    std::fs::write(
        ssh.join("known_hosts"),
        format!(
            "[127.0.0.1]:{} {} {}\n",
            server.port, host_pub[0], host_pub[1]
        ),
    )
    .unwrap();
    let url = format!(
        "ssh://{}@127.0.0.1:{}{}",
        user(),
        server.port,
        t.bare.display()
    );
    t.git(&t.a, &["remote", "set-url", "origin", &url]).ok();
    let case = t.ws.promotable(1).remove(0);
    let tags: Vec<String> =
        t.ws.taxonomy()
            .into_iter()
            .filter(|x| !case.tags.contains(x))
            .take(2)
            .collect();

    // A key file.
    t.docket(&t.a, &["tag", &case.id, &tags[0], "--commit"])
        .ok();
    let r = sync(&t, &t.a, None).ok();
    assert!(r.stdout.contains("pushed "), "{}", r.stdout);
    assert!(t.tags_on_remote(&case.path).contains(&tags[0]));

    // Neither key file nor agent.
    let aside = t.ws.sb.path().join("key-aside");
    std::fs::rename(&key, &aside).unwrap();
    t.docket(&t.a, &["tag", &case.id, &tags[1], "--commit"])
        .ok();
    sync(&t, &t.a, None).refused(&[
        "authentication failed for",
        &url,
        "ssh-agent (not running)",
        "neither exists",
    ]);

    // The agent (the suggested way).
    let sock = t.ws.sb.path().join("agent.sock");
    let mut agent = Command::new("ssh-agent")
        .args(["-D", "-a"])
        .arg(&sock)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..100 {
        if sock.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let added = Command::new("ssh-add")
        .arg(&aside)
        .env("SSH_AUTH_SOCK", &sock)
        .stderr(Stdio::null())
        .status()
        .unwrap()
        .success();
    assert!(added);
    let r = sync(&t, &t.a, Some(&sock));
    let _ = agent.kill();
    let _ = agent.wait();
    let r = r.ok();
    assert!(r.stdout.contains("pushed "), "{}", r.stdout);
    assert!(t.tags_on_remote(&case.path).contains(&tags[1]));
    drop(server);
}
