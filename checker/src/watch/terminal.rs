//! The terminal while the watcher runs: raw mode and the alternate screen, put back on every
//! way out (return, panic, signal); keys, resizes and signals turned into events.

use anyhow::{Context, Result};
use crossterm::event::{self, KeyEvent, KeyEventKind};
use crossterm::{cursor, execute, terminal};
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
use signal_hook::iterator::Signals;
use std::sync::OnceLock;
use std::thread;

/// What comes from the terminal.
#[derive(Debug)]
pub enum Input {
    Key(KeyEvent),
    Resize,
    /// A signal asked us to stop (the terminal closed, Ctrl-C from outside, kill), or the
    /// terminal cannot be read any more.
    Stop,
}

/// Raw mode and the alternate screen, for as long as this lives.
pub struct Terminal(());

/// Run from the panic hook (on the screen's thread) before the terminal is put back: stops
/// the run in flight, so its processes do not outlive us.
static ON_PANIC: OnceLock<Box<dyn Fn() + Send + Sync>> = OnceLock::new();

impl Terminal {
    /// Switches to raw mode and the alternate screen. `on_panic` runs if the screen's thread
    /// panics, before the terminal is restored and the panic reported.
    pub fn enter(on_panic: Box<dyn Fn() + Send + Sync>) -> Result<Terminal> {
        let _ = ON_PANIC.set(on_panic);
        install_panic_hook();
        terminal::enable_raw_mode()
            .context("the watcher needs a terminal (use `racelings run` in scripts)")?;
        let guard = Terminal(());
        execute!(
            std::io::stdout(),
            terminal::EnterAlternateScreen,
            cursor::Hide
        )
        .context("setting up the screen")?;
        Ok(guard)
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        restore();
    }
}

/// Puts the terminal back as it was; harmless when it already is.
fn restore() {
    let _ = execute!(
        std::io::stdout(),
        cursor::Show,
        terminal::LeaveAlternateScreen
    );
    let _ = terminal::disable_raw_mode();
}

fn install_panic_hook() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let screen_thread = thread::current().id();
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if thread::current().id() == screen_thread {
                if let Some(stop) = ON_PANIC.get() {
                    stop();
                }
                restore();
                previous(info);
            }
            // Other threads' panics are caught where they happen (the worker reports its
            // own on the screen); printing them here would scribble over the screen.
        }));
    });
}

/// Reads keys and resizes on a thread of its own, forever, handing them to `send`.
pub fn read_input(send: impl Fn(Input) -> bool + Send + 'static) {
    thread::Builder::new()
        .name("racelings-keys".into())
        .spawn(move || {
            loop {
                let input = match event::read() {
                    Ok(event::Event::Key(key)) if key.kind != KeyEventKind::Release => {
                        Input::Key(key)
                    }
                    Ok(event::Event::Resize(..)) => Input::Resize,
                    Ok(_) => continue,
                    Err(_) => Input::Stop,
                };
                let stop = matches!(input, Input::Stop);
                if !send(input) || stop {
                    return;
                }
            }
        })
        .expect("starting the key reader");
}

/// Turns SIGHUP (the terminal closed), SIGINT, SIGTERM and SIGQUIT into a stop event, so
/// the watcher can kill its runs and put the terminal back before it goes.
pub fn catch_signals(send: impl Fn(Input) -> bool + Send + 'static) -> Result<()> {
    let mut signals =
        Signals::new([SIGHUP, SIGINT, SIGTERM, SIGQUIT]).context("installing signal handlers")?;
    thread::Builder::new()
        .name("racelings-signals".into())
        .spawn(move || {
            for _ in signals.forever() {
                if !send(Input::Stop) {
                    return;
                }
            }
        })
        .context("starting the signal thread")?;
    Ok(())
}
