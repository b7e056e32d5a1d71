//! Which jobs may start: every one (the desktop app resumes all unfinished work),
//! or only those named (a CLI run works on its own links, not on everything queued
//! in the data folder).

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};

pub(crate) struct AllowList(Mutex<Option<HashSet<i64>>>);

impl AllowList {
    pub(crate) fn new(everything: bool) -> Self {
        Self(Mutex::new((!everything).then(HashSet::new)))
    }

    pub(crate) fn allow(&self, id: i64) {
        if let Some(allowed) = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_mut()
        {
            allowed.insert(id);
        }
    }

    pub(crate) fn forget(&self, id: i64) {
        if let Some(allowed) = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_mut()
        {
            allowed.remove(&id);
        }
    }

    pub(crate) fn allows(&self, id: i64) -> bool {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .is_none_or(|allowed| allowed.contains(&id))
    }
}
