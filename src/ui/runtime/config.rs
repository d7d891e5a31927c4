//! The user's configuration file, read once at start-up and handed to the
//! state as a `Keymap`: the only place the UI reads its config from disk.

use crate::ui::keymap::Keymap;

/// Reads the user's keymap: `$XDG_CONFIG_HOME/docket/config.toml`, else
/// `~/.config/docket/config.toml`; the defaults when there is none.
pub(super) fn load_keymap() -> anyhow::Result<Keymap> {
    let dir = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".config")));
    let Some(path) = dir.map(|d| d.join("docket/config.toml")) else {
        return Ok(Keymap::default());
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            Keymap::with_config(&path.display().to_string(), &text).map_err(anyhow::Error::msg)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Keymap::default()),
        Err(e) => Err(anyhow::anyhow!("{}: {e}", path.display())),
    }
}
