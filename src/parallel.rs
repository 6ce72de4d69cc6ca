//! An ordered parallel map: workers process jobs on their own threads, and
//! the caller consumes the results on its thread, in job order.
//!
//! This is the shape of ingest: reading, decoding and matching are
//! independent per document and run on every core, while one writer (SQLite
//! allows one) takes the results in a fixed order, so database ids and
//! output do not depend on thread timing. What the workers may hold for the
//! writer is bounded (in bytes where results say their size, else in
//! results), so a slow writer holds the workers back instead of piling up
//! memory, while a writer that pauses now and then (copying SQLite's log)
//! does not stop them at once.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, mpsc};

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
        Budget {
            aside: 0,
            results: 0,
        },
        consume,
    )
}

/// The bytes [`staged_ordered_map`]'s workers may hold ahead of the
/// consumer.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    /// First stages run ahead and set aside until `ready()`.
    pub aside: usize,
    /// Results finished and not yet consumed (at least 64 per worker).
    pub results: usize,
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

/// The results sent to the consumer and not yet consumed (in the channel or
/// waiting for an earlier one), and who waits to send more.
struct InFlight {
    /// Their weight: the bytes of the job's first stage, or 1 for a job
    /// done in one.
    weight: usize,
    /// The index the consumer waits for next: always let through, since
    /// nothing else can move until it arrives.
    expected: usize,
    /// Workers waiting for room.
    waiting: usize,
    /// The consumer is gone: nothing will make room again.
    closed: bool,
}

/// The bound on [`InFlight`], shared by the workers and the consumer.
struct Gate {
    state: Mutex<InFlight>,
    room: Condvar,
    limit: usize,
}

impl Gate {
    fn lock(&self) -> MutexGuard<'_, InFlight> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until the result of job `index`, of `weight`, may be sent, and
    /// counts it in flight. False when the consumer is gone.
    ///
    /// While jobs are set aside (`jobs_aside()`), a result goes through
    /// whatever its weight: the job the consumer waits for may be one of
    /// them, and only a worker that is not waiting here can take it.
    fn admit(&self, index: usize, weight: usize, jobs_aside: impl Fn() -> bool) -> bool {
        let mut state = self.lock();
        loop {
            if state.closed {
                return false;
            }
            if index == state.expected || state.weight + weight <= self.limit || jobs_aside() {
                state.weight += weight;
                return true;
            }
            state.waiting += 1;
            state = self.room.wait(state).unwrap_or_else(|e| e.into_inner());
            state.waiting -= 1;
        }
    }

    /// Wakes the workers waiting for room, to look again (a job was set
    /// aside).
    fn nudge(&self) {
        if self.lock().waiting > 0 {
            self.room.notify_all();
        }
    }

    /// Closes the gate: nothing will make room again.
    fn close(&self) {
        self.lock().closed = true;
        self.room.notify_all();
    }

    /// Counts `weight` of results consumed, up to job `expected`.
    fn consumed(&self, weight: usize, expected: usize) {
        let mut state = self.lock();
        state.weight -= weight;
        state.expected = expected;
        if state.waiting > 0 {
            self.room.notify_all();
        }
    }
}

/// Closes the gate when the consumer leaves, however it leaves (a panic
/// included), so that no worker waits for room forever.
struct Closer<'a>(&'a Gate);

impl Drop for Closer<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// Stops the run when a worker panics: its job's result will never come,
/// so the others must not wait for room the consumer cannot make. They
/// end, the consumer's channel closes, and the scope passes the panic on.
struct PanicStop<'a> {
    gate: &'a Gate,
    stop: &'a AtomicBool,
}

impl Drop for PanicStop<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.stop.store(true, Ordering::Relaxed);
            self.gate.close();
        }
    }
}

/// [`ordered_map`] with each job's work in two stages, where the second
/// needs something still being prepared elsewhere (for ingest, the matcher
/// being compiled while the first documents are read). Until `ready()`
/// says so, a worker whose job reaches the second stage sets the job aside
/// and runs the first stage of the next one, up to `budget.aside` bytes
/// held; past that, or once ready, it runs `second` at once (which may
/// wait). Jobs set aside go first once `ready()`, oldest first.
///
/// Results not yet consumed weigh the bytes their first stage gave (or 1,
/// for a job done in one stage) and are held to `budget.results` in all, or
/// to 64 per worker when that is more: so the workers may run that far ahead
/// of a consumer that pauses. Beyond that budget and the jobs set aside
/// (at most `budget.aside` more), a result goes through only if it is the
/// one the consumer waits for, or while jobs are still set aside; and each
/// worker may hold one result waiting for room and one job in hand. A
/// weight counts the first stage's bytes only: results that carry more
/// than their input (ingest's mentions and relations) hold more.
pub fn staged_ordered_map<J, M, R, B>(
    jobs: Vec<J>,
    workers: usize,
    first: impl Fn(J) -> Stage<M, R> + Sync,
    second: impl Fn(M) -> R + Sync,
    ready: impl Fn() -> bool + Sync,
    budget: Budget,
    mut consume: impl FnMut(R) -> ControlFlow<B>,
) -> Option<B>
where
    J: Send,
    M: Send,
    R: Send,
{
    let workers = workers.max(1);
    let total = jobs.len();
    let jobs: Vec<Mutex<Option<J>>> = jobs.into_iter().map(|j| Mutex::new(Some(j))).collect();
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let aside: Mutex<Aside<M>> = Mutex::new(Aside {
        jobs: BTreeMap::new(),
        bytes: 0,
    });
    let gate = Gate {
        state: Mutex::new(InFlight {
            weight: 0,
            expected: 0,
            waiting: 0,
            closed: false,
        }),
        room: Condvar::new(),
        limit: budget.results.max(workers * 64),
    };
    let (sender, receiver) = mpsc::channel::<(usize, usize, R)>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let sender = sender.clone();
            let (jobs, next, stop, aside, gate) = (&jobs, &next, &stop, &aside, &gate);
            let (first, second, ready) = (&first, &second, &ready);
            let take_aside = move || {
                let mut aside = aside.lock().unwrap_or_else(|e| e.into_inner());
                let (i, (staged, bytes)) = aside.jobs.pop_first()?;
                aside.bytes -= bytes;
                Some((i, staged, bytes))
            };
            scope.spawn(move || {
                let _panic_stop = PanicStop { gate, stop };
                let jobs_aside = || {
                    !aside
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .jobs
                        .is_empty()
                };
                loop {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let set_aside = if ready() { take_aside() } else { None };
                    let (i, weight, result) = if let Some((i, staged, bytes)) = set_aside {
                        (i, bytes, second(staged))
                    } else {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= total {
                            // All claimed: finish what is set aside, if
                            // anything (waiting in `second` if need be).
                            match take_aside() {
                                Some((i, staged, bytes)) => (i, bytes, second(staged)),
                                None => break,
                            }
                        } else {
                            let job = jobs[i]
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .take()
                                .expect("each job is taken once");
                            match first(job) {
                                Stage::Done(result) => (i, 1, result),
                                Stage::Next(staged, bytes) => {
                                    if !ready() {
                                        let mut held =
                                            aside.lock().unwrap_or_else(|e| e.into_inner());
                                        if held.bytes + bytes <= budget.aside {
                                            held.bytes += bytes;
                                            held.jobs.insert(i, (staged, bytes));
                                            drop(held);
                                            gate.nudge();
                                            continue;
                                        }
                                    }
                                    (i, bytes, second(staged))
                                }
                            }
                        }
                    };
                    let weight = weight.max(1);
                    if !gate.admit(i, weight, jobs_aside)
                        || sender.send((i, weight, result)).is_err()
                    {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let _closer = Closer(&gate);
        let mut pending: BTreeMap<usize, (usize, R)> = BTreeMap::new();
        let mut expected = 0;
        let mut outcome = None;
        for (i, weight, result) in receiver.iter() {
            pending.insert(i, (weight, result));
            let mut freed = 0;
            while let Some((weight, result)) = pending.remove(&expected) {
                expected += 1;
                freed += weight;
                if let ControlFlow::Break(b) = consume(result) {
                    outcome = Some(b);
                    break;
                }
            }
            if outcome.is_some() {
                break;
            }
            if freed > 0 {
                gate.consumed(freed, expected);
            }
        }
        stop.store(true, Ordering::Relaxed);
        // Closing the gate and dropping the receiver make waiting or
        // sending workers give up, and their threads end.
        drop(_closer);
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

    /// The same budget for jobs set aside and for results.
    fn budget(bytes: usize) -> Budget {
        Budget {
            aside: bytes,
            results: bytes,
        }
    }

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
                budget(80),
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

    /// Runs `f` on a thread and fails if it has not returned within ten
    /// seconds (a deadlock would otherwise hang the test run).
    fn within_ten_seconds<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        let (done, finished) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = done.send(f());
        });
        finished
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("the pipeline did not finish: deadlocked")
    }

    /// A slow consumer lets the workers run ahead up to the byte budget of
    /// unconsumed results, and no further.
    #[test]
    fn workers_run_ahead_of_a_slow_consumer_up_to_the_budget() {
        let (seen, most) = within_ten_seconds(|| {
            let finished = AtomicUsize::new(0);
            let mut most = 0;
            let mut seen = Vec::new();
            let _: Option<()> = staged_ordered_map(
                (0..60).collect(),
                2,
                |j: usize| Stage::Next(j, 1_000),
                |j| {
                    finished.fetch_add(1, Ordering::SeqCst);
                    j
                },
                || true,
                budget(10_000),
                |r| {
                    // Finished and not yet consumed: at most ten admitted,
                    // the one the consumer waits for let through beyond
                    // them, and one more in each worker's hands.
                    most = most.max(finished.load(Ordering::SeqCst) - seen.len());
                    seen.push(r);
                    std::thread::sleep(std::time::Duration::from_millis(2));
                    ControlFlow::Continue(())
                },
            );
            (seen, most)
        });
        assert_eq!(seen, (0..60).collect::<Vec<_>>());
        assert!((8..=13).contains(&most), "{most} results ahead");
    }

    /// A result heavier than the whole budget still goes through when it is
    /// the one the consumer waits for.
    #[test]
    fn a_result_over_the_budget_goes_through() {
        let seen = within_ten_seconds(|| {
            let mut seen = Vec::new();
            let _: Option<()> = staged_ordered_map(
                (0..50).collect(),
                3,
                |j: usize| Stage::Next(j, 1 << 20),
                |j| j,
                || true,
                budget(1 << 10),
                |r| {
                    seen.push(r);
                    ControlFlow::Continue(())
                },
            );
            seen
        });
        assert_eq!(seen, (0..50).collect::<Vec<_>>());
    }

    /// The job the consumer waits for may be set aside while the only
    /// worker holds a later result heavier than the budget: that result
    /// goes through, and the worker then takes the job set aside.
    #[test]
    fn a_heavy_result_does_not_wait_on_a_job_set_aside() {
        let seen = within_ten_seconds(|| {
            let ready = AtomicBool::new(false);
            let mut seen = Vec::new();
            std::thread::scope(|scope| {
                scope.spawn(|| {
                    std::thread::sleep(std::time::Duration::from_millis(100));
                    ready.store(true, Ordering::SeqCst);
                });
                let _: Option<()> = staged_ordered_map(
                    vec![0usize, 1],
                    1,
                    |j| Stage::Next(j, if j == 0 { 10 } else { 1_000 }),
                    |j| {
                        while !ready.load(Ordering::SeqCst) {
                            std::thread::yield_now();
                        }
                        j
                    },
                    || ready.load(Ordering::SeqCst),
                    budget(100),
                    |r| {
                        seen.push(r);
                        ControlFlow::Continue(())
                    },
                );
            });
            seen
        });
        assert_eq!(seen, [0, 1]);
    }

    /// A worker's panic reaches the caller; the other workers, waiting for
    /// room the consumer can no longer make, end instead of hanging.
    #[test]
    fn a_worker_panic_reaches_the_caller() {
        let panicked = within_ten_seconds(|| {
            std::panic::catch_unwind(|| {
                ordered_map(
                    (0..100_000).collect(),
                    2,
                    |j: u32| {
                        if j == 3 {
                            panic!("job 3 fails");
                        }
                        j
                    },
                    |_| ControlFlow::<()>::Continue(()),
                )
            })
            .is_err()
        });
        assert!(panicked);
    }

    /// Stopping early releases workers that wait for room.
    #[test]
    fn break_releases_waiting_workers() {
        let out = within_ten_seconds(|| {
            ordered_map(
                (0..10_000).collect(),
                2,
                |j: i32| j,
                |r| {
                    // Long enough for the workers to fill the budget.
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    if r == 2 {
                        ControlFlow::Break(r)
                    } else {
                        ControlFlow::Continue(())
                    }
                },
            )
        });
        assert_eq!(out, Some(2));
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
