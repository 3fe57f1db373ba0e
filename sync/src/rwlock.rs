//! `RwLock` with std's API, over std's or loom's.

pub use crate::backend::{
    RawReadGuard as RwLockReadGuard, RawRwLock as RwLock, RawWriteGuard as RwLockWriteGuard,
};
