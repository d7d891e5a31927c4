//! The pseudo-terminal harness of the end-to-end UI tests: the real
//! `docket` binary in a pseudo-terminal (80×24), its output read through a
//! terminal emulator (vt100), with the sandboxed environment of
//! [`super::Workspace`] and `DOCKET_NOW` pinned to [`super::NOW`].
//!
//! Every wait polls the parsed screen for expected text (10 s at most);
//! nothing sleeps for a fixed long time.

use super::{GIT_DATE, NOW, Workspace};
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub const ROWS: u16 = 24;
pub const COLS: u16 = 80;
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// Everything the program wrote, raw and as a screen.
pub struct Output {
    pub raw: Vec<u8>,
    pub parser: vt100::Parser,
    pub eof: bool,
}

/// One docket process in a pseudo-terminal.
pub struct Term {
    pub child: Box<dyn Child + Send + Sync>,
    pub writer: Option<Box<dyn Write + Send>>,
    pub master: Option<Box<dyn MasterPty + Send>>,
    pub out: Arc<Mutex<Output>>,
    reader: Option<JoinHandle<()>>,
}

/// How the reader thread ends: at end of output, or (to let the test close
/// the terminal) as soon as the screen shows `until`.
pub enum ReadUntil {
    Eof,
    Screen(String),
}

impl Term {
    pub fn spawn(ws: &Workspace, extra_env: &[(&str, &str)]) -> Self {
        Self::spawn_reading(ws, extra_env, ReadUntil::Eof)
    }

    pub fn spawn_reading(ws: &Workspace, extra_env: &[(&str, &str)], until: ReadUntil) -> Self {
        let root = ws.root.to_str().unwrap().to_owned();
        Self::spawn_argv(
            ws,
            extra_env,
            until,
            &[env!("CARGO_BIN_EXE_docket"), "-C", &root],
        )
    }

    pub fn spawn_argv(
        ws: &Workspace,
        extra_env: &[(&str, &str)],
        until: ReadUntil,
        argv: &[&str],
    ) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let home = ws.sb.gitconfig().parent().unwrap().to_path_buf();
        let mut cmd = CommandBuilder::new(argv[0]);
        cmd.env_clear();
        cmd.env("PATH", std::env::var_os("PATH").unwrap_or_default());
        cmd.env("HOME", &home);
        cmd.env("XDG_CONFIG_HOME", home.join(".config"));
        cmd.env("GIT_CONFIG_GLOBAL", ws.sb.gitconfig());
        cmd.env("GIT_CONFIG_NOSYSTEM", "1");
        cmd.env("GIT_AUTHOR_DATE", GIT_DATE);
        cmd.env("GIT_COMMITTER_DATE", GIT_DATE);
        cmd.env("DOCKET_NOW", NOW);
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        for a in &argv[1..] {
            cmd.arg(a);
        }
        cmd.cwd(ws.sb.path());
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);

        let out = Arc::new(Mutex::new(Output {
            raw: Vec::new(),
            parser: vt100::Parser::new(ROWS, COLS, 0),
            eof: false,
        }));
        let mut reader = pair.master.try_clone_reader().unwrap();
        let shared = Arc::clone(&out);
        let reader = std::thread::spawn(move || {
            let mut buf = vec![0u8; 1 << 16];
            loop {
                let n = match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let mut o = shared.lock().unwrap();
                o.raw.extend_from_slice(&buf[..n]);
                o.parser.process(&buf[..n]);
                if let ReadUntil::Screen(text) = &until
                    && o.parser.screen().contents().contains(text.as_str())
                {
                    break;
                }
            }
            shared.lock().unwrap().eof = true;
        });
        let writer = pair.master.take_writer().unwrap();
        Self {
            child,
            writer: Some(writer),
            master: Some(pair.master),
            out,
            reader: Some(reader),
        }
    }

    pub fn screen(&self) -> String {
        self.out.lock().unwrap().parser.screen().contents()
    }

    pub fn raw(&self) -> Vec<u8> {
        self.out.lock().unwrap().raw.clone()
    }

    pub fn send(&mut self, bytes: impl AsRef<[u8]>) {
        let w = self.writer.as_mut().unwrap();
        w.write_all(bytes.as_ref()).unwrap();
        w.flush().unwrap();
    }

    /// Waits until the screen satisfies `ok`; panics with the screen after
    /// [`TIMEOUT`].
    #[track_caller]
    pub fn wait(&mut self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("docket exited ({status:?}) while waiting for {what}; screen:\n{screen}");
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the screen contains `text`.
    #[track_caller]
    pub fn wait_for(&mut self, text: &str) -> String {
        self.wait(&format!("{text:?}"), |s| s.contains(text))
    }

    /// Waits for the process to end; returns its exit code.
    #[track_caller]
    pub fn wait_exit(&mut self, within: Duration) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.exit_code();
            }
            assert!(
                start.elapsed() < within,
                "docket did not exit within {within:?}; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the output to end (the reader thread saw EOF).
    pub fn drain(&mut self) {
        // The slave side is closed once the process is gone; the reader
        // then sees EOF (or EIO).
        if let Some(r) = self.reader.take() {
            r.join().unwrap();
        }
    }

    /// Waits for the first frame with the workspace loaded.
    #[track_caller]
    pub fn wait_loaded(&mut self) -> String {
        // docket opens on the overview (its home); 1 goes to the Inbox.
        self.wait("the loaded overview", |s| {
            s.contains("Incidents without an eval")
        });
        self.send("1");
        self.wait("the loaded Inbox", |s| {
            s.contains("1 Inbox") && s.contains("occurred") && !s.contains("loading")
        })
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The last characters of the output, for messages.
pub fn tail(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars[chars.len().saturating_sub(120)..].iter().collect()
}

/// The detail pane's `id` field for `id`.
pub fn id_field(id: &str) -> String {
    format!("id         {id}")
}

/// Filters the Inbox to `id` and leaves the filter field.
pub fn select_case(t: &mut Term, id: &str) {
    t.send("/");
    t.wait_for("▏");
    t.send(id);
    t.wait(&format!("{id} under the cursor"), |s| {
        s.contains(&format!("/{id}▏")) && s.contains(&id_field(id))
    });
    t.send("\r");
    t.wait(&format!("the filter on {id}, not editing"), |s| {
        s.contains(&format!("/{id} ")) && !s.contains(&format!("/{id}▏"))
    });
}
