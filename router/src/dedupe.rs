//! Sharing identical work in flight: the first caller (the leader) starts it, the
//! callers that arrive while it runs await the same outcome. Used for identical
//! client queries (`server`) and identical subgraph requests (`executor`).

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::Mutex;

use futures::FutureExt as _;
use futures::future::{BoxFuture, Shared};

/// Work in flight by key.
pub struct InFlight<K, V: Clone> {
    running: Mutex<HashMap<K, Shared<BoxFuture<'static, V>>>>,
}

impl<K, V: Clone> std::fmt::Debug for InFlight<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let running = self.running.lock().map(|r| r.len()).unwrap_or_default();
        f.debug_struct("InFlight")
            .field("running", &running)
            .finish()
    }
}

impl<K: Hash + Eq + Clone, V: Clone + Send + Sync + 'static> InFlight<K, V> {
    pub fn new() -> Self {
        Self {
            running: Mutex::new(HashMap::new()),
        }
    }

    /// The outcome of the work running under `key`, or of `work` (started now)
    /// when none runs.
    pub async fn run<F>(&self, key: K, work: impl FnOnce() -> F) -> V
    where
        F: Future<Output = V> + Send + 'static,
    {
        let (shared, _leader) = {
            let mut running = self.running.lock().expect("in-flight lock poisoned");
            match running.get(&key) {
                Some(shared) => (shared.clone(), None),
                None => {
                    let shared = work().boxed().shared();
                    running.insert(key.clone(), shared.clone());
                    // Whether the leader finishes or its caller goes away, the key
                    // is freed: a later caller never gets a finished outcome.
                    (shared, Some(Leader { owner: self, key }))
                }
            }
        };
        shared.await
    }

    /// How many keys have work running.
    pub fn len(&self) -> usize {
        self.running.lock().map(|r| r.len()).unwrap_or_default()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<K: Hash + Eq + Clone, V: Clone + Send + Sync + 'static> Default for InFlight<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

/// Frees the leader's key when dropped.
struct Leader<'a, K: Hash + Eq, V: Clone> {
    owner: &'a InFlight<K, V>,
    key: K,
}

impl<K: Hash + Eq, V: Clone> Drop for Leader<'_, K, V> {
    fn drop(&mut self) {
        if let Ok(mut running) = self.owner.running.lock() {
            running.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn callers_in_flight_share_one_run_and_later_callers_start_another() {
        let flight = Arc::new(InFlight::<&str, usize>::new());
        let runs = Arc::new(AtomicUsize::new(0));
        let call = |flight: Arc<InFlight<&'static str, usize>>, runs: Arc<AtomicUsize>| async move {
            flight
                .run("k", move || async move {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    runs.fetch_add(1, Ordering::SeqCst) + 1
                })
                .await
        };
        let together: Vec<usize> =
            futures::future::join_all((0..8).map(|_| call(flight.clone(), runs.clone()))).await;
        assert_eq!(together, vec![1; 8], "one run, one outcome for all");
        assert!(flight.is_empty());
        assert_eq!(call(flight.clone(), runs.clone()).await, 2, "a new run");
    }

    #[tokio::test]
    async fn a_leader_that_goes_away_frees_its_key() {
        let flight = Arc::new(InFlight::<&str, usize>::new());
        let leader = {
            let flight = flight.clone();
            tokio::spawn(async move {
                flight
                    .run("k", || async {
                        tokio::time::sleep(Duration::from_secs(60)).await;
                        0
                    })
                    .await
            })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(flight.len(), 1);
        leader.abort();
        let _ = leader.await;
        assert!(flight.is_empty(), "the key is freed");
        assert_eq!(flight.run("k", || async { 7 }).await, 7);
    }
}
