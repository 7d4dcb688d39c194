//! Signals that end an attached one-off run early (Ctrl-C, a closed
//! session, a stop), caught while it runs so that its service is removed
//! rather than left to `run:retire`; and changes of our terminal's size
//! (SIGWINCH), counted so that the task's terminal follows.
//!
//! No handler is installed (the workspace has no unsafe code): the signals
//! are blocked in this thread, so in every thread started from now on, and
//! a thread of our own takes them with `sigwait`. The run polls
//! [`Interrupts::caught`]. Children get the usual signal mask back (the
//! standard library resets it when it spawns them).

use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Arc;

use nix::sys::pthread::{pthread_kill, pthread_self, Pthread};
use nix::sys::signal::{pthread_sigmask, SigSet, SigmaskHow, Signal};

use dokku_core::Error;

const SIGNALS: [Signal; 4] = [
    Signal::SIGINT,
    Signal::SIGTERM,
    Signal::SIGHUP,
    Signal::SIGWINCH,
];

/// Caught signals while alive; the previous signal mask back when dropped.
#[derive(Debug)]
pub struct Interrupts {
    caught: Arc<AtomicI32>,
    resizes: Arc<AtomicI32>,
    done: Arc<AtomicI32>,
    waiter: Option<Pthread>,
    previous: Option<SigSet>,
}

impl Interrupts {
    /// Start catching SIGINT, SIGTERM and SIGHUP.
    pub fn catch() -> Interrupts {
        let mut set = SigSet::empty();
        for s in SIGNALS {
            set.add(s);
        }
        let mut previous = SigSet::empty();
        let blocked = pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&set), Some(&mut previous));
        let caught = Arc::new(AtomicI32::new(0));
        let resizes = Arc::new(AtomicI32::new(0));
        let done = Arc::new(AtomicI32::new(0));
        let (tell, told) = std::sync::mpsc::channel();
        if blocked.is_ok() {
            let (caught, resizes, done) = (caught.clone(), resizes.clone(), done.clone());
            std::thread::spawn(move || {
                let _ = tell.send(pthread_self());
                while let Ok(sig) = set.wait() {
                    if done.load(Ordering::SeqCst) != 0 {
                        return;
                    }
                    if sig == Signal::SIGWINCH {
                        resizes.fetch_add(1, Ordering::SeqCst);
                    } else {
                        caught.store(sig as i32, Ordering::SeqCst);
                    }
                }
            });
        }
        Interrupts {
            caught,
            resizes,
            done,
            waiter: told.recv().ok(),
            previous: blocked.is_ok().then_some(previous),
        }
    }

    /// The signal caught, if any.
    pub fn caught(&self) -> Option<i32> {
        match self.caught.load(Ordering::SeqCst) {
            0 => None,
            sig => Some(sig),
        }
    }

    /// How many times our terminal's size changed so far.
    pub fn resizes(&self) -> i32 {
        self.resizes.load(Ordering::SeqCst)
    }

    /// An error ending the run with the shell's status for the caught
    /// signal (128 + its number), if one was caught.
    pub fn check(&self) -> dokku_core::Result<()> {
        match self.caught() {
            Some(sig) => Err(Error::exit(128 + sig)),
            None => Ok(()),
        }
    }
}

impl Drop for Interrupts {
    fn drop(&mut self) {
        self.done.store(1, Ordering::SeqCst);
        // Wake the waiting thread so that it ends rather than take a later
        // signal meant to end the process.
        if let Some(waiter) = self.waiter {
            let _ = pthread_kill(waiter, Signal::SIGHUP);
        }
        if let Some(previous) = &self.previous {
            let _ = pthread_sigmask(SigmaskHow::SIG_SETMASK, Some(previous), None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caught_signal_is_reported_as_its_status() {
        let i = Interrupts::catch();
        assert_eq!(i.caught(), None);
        assert!(i.check().is_ok());
        // Other tests' threads run beside this one without the signal
        // blocked: it goes to the waiting thread only.
        let waiter = i.waiter.expect("a waiting thread");
        pthread_kill(waiter, Signal::SIGWINCH).expect("signal");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while i.resizes() == 0 && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert_eq!((i.resizes(), i.caught()), (1, None));
        pthread_kill(waiter, Signal::SIGTERM).expect("signal");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while i.caught().is_none() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert_eq!(i.caught(), Some(15));
        let e = i.check().expect_err("interrupted");
        assert_eq!(e.exit_code(), 143);
        drop(i);
    }
}
