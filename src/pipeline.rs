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
    consume: impl FnMut(R) -> ControlFlow<B>,
) -> Option<B>
where
    J: Send,
    R: Send,
{
    staged_ordered_map(
        jobs,
        workers,
        |job| Stage::<std::convert::Infallible, R>::Done(work(job)),
        |never| match never {},
        || true,
        0,
        consume,
    )
}

/// What the first stage of a job made of it.
pub enum Stage<M, R> {
    /// The job's result: there is no second stage.
    Done(R),
    /// What the second stage needs, and about how many bytes it holds.
    Next(M, usize),
}

/// Jobs set aside after their first stage, by index, with their bytes.
struct Aside<M> {
    jobs: BTreeMap<usize, (M, usize)>,
    bytes: usize,
}

/// [`ordered_map`] with each job's work in two stages, where the second
/// needs something still being prepared elsewhere (for ingest, the matcher
/// being compiled while the first documents are read). Until `ready()`
/// says so, a worker whose job reaches the second stage sets the job aside
/// and runs the first stage of the next one, up to `ahead_bytes` held;
/// past that, or once ready, it runs `second` at once (which may wait).
/// Jobs set aside go first once `ready()`, oldest first.
pub fn staged_ordered_map<J, M, R, B>(
    jobs: Vec<J>,
    workers: usize,
    first: impl Fn(J) -> Stage<M, R> + Sync,
    second: impl Fn(M) -> R + Sync,
    ready: impl Fn() -> bool + Sync,
    ahead_bytes: usize,
    mut consume: impl FnMut(R) -> ControlFlow<B>,
) -> Option<B>
where
    J: Send,
    M: Send,
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
    let aside: std::sync::Mutex<Aside<M>> = std::sync::Mutex::new(Aside {
        jobs: BTreeMap::new(),
        bytes: 0,
    });
    let (sender, receiver) = mpsc::sync_channel::<(usize, R)>(workers * 64);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let sender = sender.clone();
            let (jobs, next, stop, aside) = (&jobs, &next, &stop, &aside);
            let (first, second, ready) = (&first, &second, &ready);
            let take_aside = move || {
                let mut aside = aside.lock().unwrap_or_else(|e| e.into_inner());
                let (i, (staged, bytes)) = aside.jobs.pop_first()?;
                aside.bytes -= bytes;
                Some((i, staged))
            };
            scope.spawn(move || {
                loop {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let set_aside = if ready() { take_aside() } else { None };
                    let (i, result) = if let Some((i, staged)) = set_aside {
                        (i, second(staged))
                    } else {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= total {
                            // All claimed: finish what is set aside, if
                            // anything (waiting in `second` if need be).
                            match take_aside() {
                                Some((i, staged)) => (i, second(staged)),
                                None => break,
                            }
                        } else {
                            let job = jobs[i]
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .take()
                                .expect("each job is taken once");
                            match first(job) {
                                Stage::Done(result) => (i, result),
                                Stage::Next(staged, bytes) => {
                                    if !ready() {
                                        let mut held =
                                            aside.lock().unwrap_or_else(|e| e.into_inner());
                                        if held.bytes + bytes <= ahead_bytes {
                                            held.bytes += bytes;
                                            held.jobs.insert(i, (staged, bytes));
                                            continue;
                                        }
                                    }
                                    (i, second(staged))
                                }
                            }
                        }
                    };
                    if sender.send((i, result)).is_err() {
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

    /// Until ready, workers run first stages ahead, up to the byte budget;
    /// then everything is finished, in order, the jobs set aside included.
    #[test]
    fn staged_jobs_read_ahead_until_ready() {
        use std::sync::atomic::AtomicU64;
        let ready = AtomicBool::new(false);
        let firsts = AtomicUsize::new(0);
        let nexts = AtomicUsize::new(0);
        let seconds = AtomicUsize::new(0);
        let most_waiting = AtomicUsize::new(0);
        let timed_out = AtomicBool::new(false);
        let seen_before_ready = AtomicU64::new(0);
        let mut seen = Vec::new();
        std::thread::scope(|scope| {
            // Ready once six first stages ran: never, if workers waited
            // instead of reading ahead (two workers, two jobs in hand).
            scope.spawn(|| {
                let started = std::time::Instant::now();
                while firsts.load(Ordering::SeqCst) < 6 {
                    if started.elapsed() > std::time::Duration::from_secs(5) {
                        timed_out.store(true, Ordering::SeqCst);
                        break;
                    }
                    std::thread::yield_now();
                }
                seen_before_ready.store(firsts.load(Ordering::SeqCst) as u64, Ordering::SeqCst);
                ready.store(true, Ordering::SeqCst);
            });
            let out: Option<()> = staged_ordered_map(
                (0..200).collect(),
                2,
                |j: u64| {
                    firsts.fetch_add(1, Ordering::SeqCst);
                    if j.is_multiple_of(3) {
                        return Stage::Done(j * 2);
                    }
                    let held = nexts.fetch_add(1, Ordering::SeqCst) + 1;
                    most_waiting.fetch_max(held - seconds.load(Ordering::SeqCst), Ordering::SeqCst);
                    Stage::Next(j, 10)
                },
                |j| {
                    while !ready.load(Ordering::SeqCst) {
                        std::thread::yield_now();
                    }
                    seconds.fetch_add(1, Ordering::SeqCst);
                    j * 2
                },
                || ready.load(Ordering::SeqCst),
                80,
                |r| {
                    seen.push(r);
                    ControlFlow::Continue(())
                },
            );
            assert_eq!(out, None);
        });
        assert!(
            !timed_out.load(Ordering::SeqCst),
            "no first stage ran ahead"
        );
        assert!(seen_before_ready.load(Ordering::SeqCst) >= 6);
        assert_eq!(seen, (0..200).map(|j| j * 2).collect::<Vec<_>>());
        // At most 8 jobs of 10 bytes set aside, and one more in the hands
        // of each of the two workers.
        assert!(
            most_waiting.load(Ordering::SeqCst) <= 10,
            "{most_waiting:?}"
        );
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
