//! Where things go on screen, as a pure function of the terminal size, so
//! `update` (page sizes, wrap width) and the views agree.

use ratatui::layout::Rect;

/// Below this, the UI shows "terminal too small" instead of a cramped mess.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panes {
    pub tabs: Rect,
    pub list: Rect,
    pub detail: Rect,
    pub status: Rect,
    pub keys: Rect,
}

#[must_use]
pub fn too_small(width: u16, height: u16) -> bool {
    width < MIN_WIDTH || height < MIN_HEIGHT
}

#[must_use]
pub fn panes(width: u16, height: u16) -> Panes {
    let main_h = height.saturating_sub(3);
    let list_w = (width / 2).clamp(24, 72).min(width);
    Panes {
        tabs: Rect::new(0, 0, width, 1),
        list: Rect::new(0, 1, list_w, main_h),
        detail: Rect::new(list_w, 1, width.saturating_sub(list_w), main_h),
        status: Rect::new(0, height.saturating_sub(2), width, 1),
        keys: Rect::new(0, height.saturating_sub(1), width, 1),
    }
}

/// Columns of text inside the detail pane (a border column and a margin).
#[must_use]
pub fn detail_width(width: u16, height: u16) -> u16 {
    panes(width, height).detail.width.saturating_sub(3).max(10)
}

/// Rows of items the list shows (one header row).
#[must_use]
pub fn list_rows(width: u16, height: u16) -> usize {
    usize::from(panes(width, height).list.height.saturating_sub(1)).max(1)
}
