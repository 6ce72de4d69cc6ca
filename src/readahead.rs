//! Reading ahead of the workers when the documents are not in memory.
//!
//! A worker reads one file at a time, so a folder that is not in the
//! system's page cache (just copied from elsewhere, or evicted since) is
//! read at the disk's latency, one small file after another: 100 MB of
//! 10 kB files took 1.25 s to read that way on the benchmark machine, and
//! 0.3 s when the system was told of every file first and could read them
//! in parallel. So once the workers' reads are seen to wait for the disk,
//! a thread tells the system which files come next (`posix_fadvise`,
//! `WILLNEED`), keeping a window ahead of the files the workers have taken.
//! Files already in memory cost nothing: the thread sleeps until then.
//!
//! Linux only (the advice and the per-thread disk counter are Linux's);
//! elsewhere nothing is read ahead.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::thread::Thread;
use std::time::Duration;

/// The system is asked to read at most this many bytes ahead of the files
/// the workers have taken ...
pub const WINDOW_BYTES: u64 = 32 << 20;
/// ... and at most this many files.
pub const WINDOW_FILES: usize = 1024;
/// A worker looks at its disk reads once every this many files.
const CHECK_EVERY: u32 = 32;

/// The files of one ingest run in the order the workers take them, and how
/// far they have got. Shared by the workers and the reading-ahead thread.
pub struct ReadAhead {
    /// The file of each job; `None` where there is nothing to read ahead
    /// (standard input, a pipe).
    files: Vec<Option<PathBuf>>,
    /// Jobs taken by the workers so far (the highest index plus one).
    taken: AtomicUsize,
    /// Set once a worker's reads waited for the disk.
    cold: AtomicBool,
    /// Set when the run ends.
    done: AtomicBool,
    /// The reading-ahead thread, to wake when `cold` or `done` is set.
    thread: Mutex<Option<Thread>>,
}

impl ReadAhead {
    /// For a run over `files`, in job order.
    pub fn new(files: Vec<Option<PathBuf>>) -> ReadAhead {
        ReadAhead {
            files,
            taken: AtomicUsize::new(0),
            cold: AtomicBool::new(false),
            done: AtomicBool::new(false),
            thread: Mutex::new(None),
        }
    }

    /// A worker took job `index`.
    pub fn take(&self, index: usize) {
        self.taken.fetch_max(index + 1, Ordering::Relaxed);
    }

    /// A worker read a file: every `CHECK_EVERY` (32) files it asks the
    /// system whether it read from the disk since it last asked, and if so
    /// reading ahead starts.
    pub fn after_read(&self) {
        if self.cold.load(Ordering::Relaxed) {
            return;
        }
        thread_local! {
            static READS: std::cell::Cell<(u32, Option<u64>)> =
                const { std::cell::Cell::new((0, None)) };
        }
        let waited = READS.with(|reads| {
            let (count, last) = reads.get();
            if count + 1 < CHECK_EVERY && last.is_some() {
                reads.set((count + 1, last));
                return false;
            }
            let now = disk_reads_of_this_thread();
            reads.set((0, now));
            matches!((last, now), (Some(before), Some(now)) if now > before)
        });
        if waited {
            self.mark_cold();
        }
    }

    /// Starts reading ahead (as when a worker's reads waited for the disk).
    pub fn mark_cold(&self) {
        self.cold.store(true, Ordering::Relaxed);
        self.wake();
    }

    /// Ends the reading-ahead thread.
    pub fn finish(&self) {
        self.done.store(true, Ordering::Relaxed);
        self.wake();
    }

    /// Ends the reading-ahead thread when dropped, however the run ends (a
    /// panic included), so that a scope joining it does not wait forever.
    pub fn finish_on_drop(&self) -> FinishOnDrop<'_> {
        FinishOnDrop(self)
    }

    fn wake(&self) {
        let thread = self.thread.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(thread) = thread.as_ref() {
            thread.unpark();
        }
    }

    /// The reading-ahead thread's work, until [`ReadAhead::finish`]:
    /// asleep while the files are in memory, then keeping the system told
    /// of the files after those taken, within the window. `advise` tells the
    /// system of one file and returns its size.
    pub fn run(&self, mut advise: impl FnMut(&Path) -> u64) {
        *self.thread.lock().unwrap_or_else(PoisonError::into_inner) = Some(std::thread::current());
        // Sizes of the files advised and not yet taken, by job index.
        let mut sizes: Vec<u64> = vec![0; self.files.len()];
        let (mut next, mut counted, mut ahead) = (0usize, 0usize, 0u64);
        while !self.done.load(Ordering::Relaxed) {
            if !self.cold.load(Ordering::Relaxed) {
                std::thread::park();
                continue;
            }
            let taken = self.taken.load(Ordering::Relaxed).min(self.files.len());
            while counted < taken {
                ahead -= sizes[counted];
                counted += 1;
            }
            next = next.max(taken);
            if next >= self.files.len() {
                break;
            }
            if next - taken >= WINDOW_FILES || ahead >= WINDOW_BYTES {
                std::thread::park_timeout(Duration::from_millis(1));
                continue;
            }
            if let Some(file) = &self.files[next] {
                sizes[next] = advise(file);
                ahead += sizes[next];
            }
            next += 1;
        }
    }
}

/// See [`ReadAhead::finish_on_drop`].
pub struct FinishOnDrop<'a>(&'a ReadAhead);

impl Drop for FinishOnDrop<'_> {
    fn drop(&mut self) {
        self.0.finish();
    }
}

/// Tells the system that `file` will be read soon, so it starts reading it
/// from the disk now; returns its size (0 when it cannot be opened, or is
/// not a regular file). A FIFO is never opened: that would let a process
/// waiting to write into it go on, and break its pipe when closed.
pub fn advise_will_need(file: &Path) -> u64 {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        use std::os::unix::fs::OpenOptionsExt;
        if !std::fs::metadata(file).is_ok_and(|meta| meta.is_file()) {
            return 0;
        }
        // Not waiting, should it have become a FIFO since.
        let Ok(opened) = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(file)
        else {
            return 0;
        };
        let size = match opened.metadata() {
            Ok(meta) if meta.is_file() => meta.len(),
            _ => return 0,
        };
        // SAFETY: the descriptor is open for as long as `opened` lives; the
        // advice reads nothing from memory.
        unsafe {
            libc::posix_fadvise(opened.as_raw_fd(), 0, 0, libc::POSIX_FADV_WILLNEED);
        }
        size
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = file;
        0
    }
}

/// Blocks this thread has read from the disk so far (`None` where the
/// system does not say).
fn disk_reads_of_this_thread() -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: `getrusage` writes one `rusage` into the zeroed value it
        // is given, and reads nothing else.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let status = unsafe { libc::getrusage(libc::RUSAGE_THREAD, &mut usage) };
        (status == 0).then_some(usage.ru_inblock as u64)
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn files(n: usize) -> Vec<Option<PathBuf>> {
        (0..n)
            .map(|i| (i % 10 != 7).then(|| PathBuf::from(format!("f{i}"))))
            .collect()
    }

    /// The reading-ahead thread with an `advise` that records each index
    /// (every file 1 MB), and the record.
    fn recording(ahead: &Arc<ReadAhead>) -> (std::thread::JoinHandle<()>, Arc<Mutex<Vec<usize>>>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (ahead, seen) = (ahead.clone(), seen.clone());
            std::thread::spawn(move || {
                ahead.run(|file| {
                    let index: usize = file.to_str().unwrap()[1..].parse().unwrap();
                    seen.lock().unwrap().push(index);
                    1 << 20
                })
            })
        };
        (thread, seen)
    }

    /// The file jobs from `from` on, as many as the window holds (1 MB each).
    fn window_from(from: usize) -> Vec<usize> {
        (from..)
            .filter(|i| i % 10 != 7)
            .take((WINDOW_BYTES >> 20) as usize)
            .collect()
    }

    fn settled(seen: &Mutex<Vec<usize>>, expected: &[usize]) -> Vec<usize> {
        let started = std::time::Instant::now();
        loop {
            let now = seen.lock().unwrap().clone();
            if now.len() >= expected.len() || started.elapsed() > Duration::from_secs(5) {
                // A moment more, to see that nothing beyond is advised.
                std::thread::sleep(Duration::from_millis(10));
                return seen.lock().unwrap().clone();
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    #[test]
    fn nothing_is_read_ahead_while_the_files_are_in_memory() {
        let ahead = Arc::new(ReadAhead::new(files(100)));
        let (thread, seen) = recording(&ahead);
        for i in 0..100 {
            ahead.take(i);
        }
        std::thread::sleep(Duration::from_millis(20));
        ahead.finish();
        thread.join().unwrap();
        assert!(seen.lock().unwrap().is_empty());
    }

    /// Once cold, the files after those taken are advised in order, as many
    /// as the window holds and no more; files taken meanwhile are not.
    #[test]
    fn files_are_advised_within_the_window_once_cold() {
        let ahead = Arc::new(ReadAhead::new(files(400)));
        let (thread, seen) = recording(&ahead);
        ahead.take(0);
        ahead.mark_cold();
        let first = window_from(1);
        assert_eq!(settled(&seen, &first), first);
        // The workers move past the window: what they took is skipped.
        ahead.take(99);
        let mut both = first.clone();
        both.extend(window_from(100));
        assert_eq!(settled(&seen, &both), both);
        ahead.finish();
        thread.join().unwrap();
    }

    /// The thread ends at the last file, and when told to.
    #[test]
    fn the_thread_ends_after_the_last_file() {
        let ahead = Arc::new(ReadAhead::new(files(20)));
        let (thread, seen) = recording(&ahead);
        ahead.mark_cold();
        thread.join().unwrap();
        let all: Vec<usize> = (0..20).filter(|i| i % 10 != 7).collect();
        assert_eq!(*seen.lock().unwrap(), all);
    }

    #[test]
    fn advice_gives_the_size_of_regular_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "twelve bytes").unwrap();
        let expected = if cfg!(target_os = "linux") { 12 } else { 0 };
        assert_eq!(advise_will_need(&file), expected);
        assert_eq!(advise_will_need(&dir.path().join("missing.txt")), 0);
        assert_eq!(advise_will_need(dir.path()), 0);
    }

    /// A FIFO is left alone, not waited on.
    #[cfg(target_os = "linux")]
    #[test]
    fn advice_leaves_a_fifo_alone() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("mkfifo unavailable: test skipped");
            return;
        }
        let (sent, received) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = sent.send(advise_will_need(&fifo));
        });
        let size = received
            .recv_timeout(Duration::from_secs(5))
            .expect("advice waited on a FIFO");
        assert_eq!(size, 0);
    }
}
