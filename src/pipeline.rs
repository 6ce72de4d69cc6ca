//! An ordered parallel map: workers process jobs on their own threads, and
//! the caller consumes the results on its thread, in job order.
//!
//! This is the shape of ingest: reading, decoding and matching are
//! independent per document and run on every core, while one writer (SQLite
//! allows one) takes the results in a fixed order, so database ids and
//! output do not depend on thread timing. The channel is bounded, so a slow
//! writer holds the workers back instead of piling up memory.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

/// Runs `work` over `jobs` on `workers` threads and calls `consume` with
/// each result in job order. `consume` may stop early with
/// `ControlFlow::Break`, after which no new job starts and the results still
/// in flight are dropped. Returns the break value, if any.
pub fn ordered_map<J, R, B>(
    jobs: Vec<J>,
    workers: usize,
    work: impl Fn(J) -> R + Sync,
    mut consume: impl FnMut(R) -> ControlFlow<B>,
) -> Option<B>
where
    J: Send,
    R: Send,
{
    let workers = workers.max(1);
    let total = jobs.len();
    let jobs: Vec<std::sync::Mutex<Option<J>>> = jobs
        .into_iter()
        .map(|j| std::sync::Mutex::new(Some(j)))
        .collect();
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (sender, receiver) = mpsc::sync_channel::<(usize, R)>(workers * 64);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let sender = sender.clone();
            let (jobs, next, stop, work) = (&jobs, &next, &stop, &work);
            scope.spawn(move || {
                loop {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        break;
                    }
                    let job = jobs[i]
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .take()
                        .expect("each job is taken once");
                    if sender.send((i, work(job))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let mut pending: BTreeMap<usize, R> = BTreeMap::new();
        let mut expected = 0;
        let mut outcome = None;
        for (i, result) in receiver.iter() {
            pending.insert(i, result);
            while let Some(result) = pending.remove(&expected) {
                expected += 1;
                if let ControlFlow::Break(b) = consume(result) {
                    outcome = Some(b);
                    break;
                }
            }
            if outcome.is_some() {
                break;
            }
        }
        stop.store(true, Ordering::Relaxed);
        // Dropping the receiver makes blocked senders fail and their threads end.
        drop(receiver);
        outcome
    })
}

/// The number of cores this process may use (1 when it cannot tell).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `f` over `items` on every core, results in order: one contiguous chunk
/// per core, for many cheap items where a job each would cost more than the
/// work (keying a million gazetteer entries).
pub fn chunked_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let chunk = items.len().div_ceil(cores()).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a worker panicked"))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_arrive_in_job_order() {
        let jobs: Vec<u64> = (0..500).collect();
        let mut seen = Vec::new();
        let out: Option<()> = ordered_map(
            jobs,
            4,
            |j| {
                // Uneven work, so threads finish out of order.
                std::thread::sleep(std::time::Duration::from_micros((j * 7919) % 200));
                j * 2
            },
            |r| {
                seen.push(r);
                ControlFlow::Continue(())
            },
        );
        assert_eq!(out, None);
        assert_eq!(seen, (0..500).map(|j| j * 2).collect::<Vec<_>>());
    }

    #[test]
    fn chunked_map_keeps_order() {
        let items: Vec<u32> = (0..1001).collect();
        assert_eq!(
            chunked_map(&items, |x| x * 3),
            items.iter().map(|x| x * 3).collect::<Vec<_>>()
        );
        assert!(chunked_map(&[] as &[u32], |x| *x).is_empty());
    }

    #[test]
    fn break_stops_early() {
        let mut seen = 0;
        let out = ordered_map(
            (0..10_000).collect(),
            2,
            |j: i32| j,
            |r| {
                seen += 1;
                if r == 9 {
                    ControlFlow::Break("stopped")
                } else {
                    ControlFlow::Continue(())
                }
            },
        );
        assert_eq!((out, seen), (Some("stopped"), 10));
    }
}
