//! The screens following live sessions. Every change to a session bumps its board's revision;
//! each screen following it (a participant's phone, the projector, the facilitator's laptop)
//! waits for the next revision and is sent the session as everyone sees it. That view is built
//! once per revision, whoever asks first, and shared by every screen: a thousand followers cost
//! one build per change, not a thousand.
//!
//! On PostgreSQL a change made in another process arrives as [`crate::store::News::Live`] and
//! bumps the board here the same way.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use tokio::sync::watch;

/// One session's board: its revision, and the view of the last revision built.
pub struct Board {
    revision: watch::Sender<u64>,
    shown: tokio::sync::Mutex<Option<(u64, Arc<str>)>>,
}

impl Board {
    /// A receiver that wakes at every change from now on.
    pub fn follow(&self) -> watch::Receiver<u64> {
        self.revision.subscribe()
    }

    /// The view at `revision`, built by `build` unless another screen built it already.
    pub async fn shown<E>(
        &self,
        revision: u64,
        build: impl AsyncFnOnce() -> Result<String, E>,
    ) -> Result<Arc<str>, E> {
        let mut shown = self.shown.lock().await;
        match &*shown {
            Some((at, view)) if *at >= revision => Ok(view.clone()),
            _ => {
                // Built after the revision was read: it shows at least that revision.
                let view: Arc<str> = build().await?.into();
                *shown = Some((revision, view.clone()));
                Ok(view)
            }
        }
    }
}

/// Every session some screen follows in this process.
#[derive(Default)]
pub struct Boards {
    boards: Mutex<HashMap<String, Arc<Board>>>,
}

impl Boards {
    /// The board of session `id`, made if nobody followed it yet.
    pub fn board(&self, id: &str) -> Arc<Board> {
        let mut boards = self.boards.lock().unwrap_or_else(|e| e.into_inner());
        boards
            .entry(id.to_string())
            .or_insert_with(|| {
                Arc::new(Board {
                    revision: watch::Sender::new(0),
                    shown: tokio::sync::Mutex::new(None),
                })
            })
            .clone()
    }

    /// Session `id` changed: its followers here are woken. Boards nobody follows any more are
    /// forgotten.
    pub fn changed(&self, id: &str) {
        let mut boards = self.boards.lock().unwrap_or_else(|e| e.into_inner());
        boards.retain(|_, b| b.revision.receiver_count() > 0 || Arc::strong_count(b) > 1);
        if let Some(board) = boards.get(id) {
            board.revision.send_modify(|r| *r += 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_change_wakes_followers_and_the_view_is_built_once_per_revision() {
        let boards = Boards::default();
        let board = boards.board("s");
        let mut a = board.follow();
        let mut b = board.follow();
        boards.changed("s");
        a.changed().await.expect("woken");
        b.changed().await.expect("woken");
        let builds = std::sync::atomic::AtomicU32::new(0);
        for _ in 0..3 {
            let view = board
                .shown(*a.borrow(), async || {
                    builds.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    Ok::<_, ()>("v1".to_string())
                })
                .await;
            assert_eq!(view.as_deref(), Ok("v1"));
        }
        assert_eq!(builds.load(std::sync::atomic::Ordering::SeqCst), 1);
        boards.changed("s");
        let view = board
            .shown(*a.borrow_and_update(), async || {
                Ok::<_, ()>("v2".to_string())
            })
            .await;
        assert_eq!(view.as_deref(), Ok("v2"));
    }

    #[tokio::test]
    async fn a_board_nobody_follows_is_forgotten_at_the_next_change() {
        let boards = Boards::default();
        drop(boards.board("s").follow());
        boards.changed("other");
        assert!(boards.boards.lock().expect("lock").is_empty());
    }
}
