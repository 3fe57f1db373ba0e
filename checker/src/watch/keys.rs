//! The watcher's keys: one key, no Enter, each mapped to an action according to what the
//! screen shows.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What the screen is showing, as far as keys care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The current exercise and its verdict.
    Main,
    /// The list of exercises, with a cursor.
    List,
    /// "Throw away your changes?" waiting for y or n.
    ConfirmReset,
}

/// What the learner asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Next,
    ToggleHint,
    OpenList,
    Rerun,
    AskReset,
    CheckAll,
    Quit,
    Up,
    Down,
    /// Jump to the exercise under the cursor.
    Pick,
    Back,
    Confirm,
}

/// The action for `key` in `mode`, if it has one.
pub fn action(mode: Mode, key: KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(key.code, KeyCode::Char('c') | KeyCode::Char('d')) {
        return Some(Action::Quit);
    }
    if ctrl {
        return None;
    }
    let action = match mode {
        Mode::Main => match key.code {
            KeyCode::Char('n') => Action::Next,
            KeyCode::Char('h') => Action::ToggleHint,
            KeyCode::Char('l') => Action::OpenList,
            KeyCode::Char('r') => Action::Rerun,
            KeyCode::Char('x') => Action::AskReset,
            KeyCode::Char('c') => Action::CheckAll,
            KeyCode::Char('q') => Action::Quit,
            KeyCode::Esc => Action::Back,
            _ => return None,
        },
        Mode::List => match key.code {
            KeyCode::Up | KeyCode::Char('k') => Action::Up,
            KeyCode::Down | KeyCode::Char('j') => Action::Down,
            KeyCode::Enter | KeyCode::Char(' ') => Action::Pick,
            KeyCode::Esc | KeyCode::Char('l') | KeyCode::Char('q') => Action::Back,
            _ => return None,
        },
        Mode::ConfirmReset => match key.code {
            KeyCode::Char('y') | KeyCode::Char('Y') => Action::Confirm,
            // Anything else is a no: throwing work away needs a deliberate yes.
            _ => Action::Back,
        },
    };
    Some(action)
}

/// The key line at the bottom of the screen.
pub fn help(mode: Mode, manual: bool, can_move_on: bool) -> String {
    match mode {
        Mode::Main => {
            let next = if can_move_on { "n next · " } else { "" };
            let rerun = if manual { "r check" } else { "r rerun" };
            format!("{next}h hint · l list · {rerun} · x reset · c check all · q quit")
        }
        Mode::List => "↑/↓ or j/k choose · Enter go there · Esc back".to_string(),
        Mode::ConfirmReset => "y reset · any other key keeps your code".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn keys_mean_different_things_per_mode() {
        assert_eq!(action(Mode::Main, key('q')), Some(Action::Quit));
        assert_eq!(action(Mode::List, key('q')), Some(Action::Back));
        assert_eq!(action(Mode::ConfirmReset, key('y')), Some(Action::Confirm));
        assert_eq!(action(Mode::ConfirmReset, key('n')), Some(Action::Back));
        assert_eq!(action(Mode::Main, key('z')), None);
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for mode in [Mode::Main, Mode::List, Mode::ConfirmReset] {
            assert_eq!(action(mode, ctrl_c), Some(Action::Quit));
        }
    }
}
