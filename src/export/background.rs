//! A writer that hands full buffers to a thread of its own, which does the
//! system calls.
//!
//! An export of a million relations is a gigabyte of text, and the kernel's
//! copying of it into the page cache took a quarter of the export's time on
//! the thread that formats it. With this writer the two overlap: the
//! formatting thread fills one mebibyte buffer while the other thread
//! writes the previous one. At most [`IN_FLIGHT`] buffers wait, so memory
//! stays bounded whatever the size of the output.

use std::io::{self, Write};
use std::sync::mpsc;
use std::thread::JoinHandle;

/// Bytes gathered before a buffer is handed over.
const BUFFER: usize = 1 << 20;
/// Buffers handed over and not yet written, at most.
const IN_FLIGHT: usize = 4;

/// Writes to `W` on a background thread; see the module documentation.
/// Call [`BackgroundWriter::finish`] to learn whether everything was
/// written: dropping it without finishing writes what it holds but
/// cannot report a failure.
pub struct BackgroundWriter<W: Write + Send + 'static> {
    buffer: Vec<u8>,
    sender: Option<mpsc::SyncSender<Vec<u8>>>,
    thread: Option<JoinHandle<io::Result<W>>>,
}

impl<W: Write + Send + 'static> BackgroundWriter<W> {
    /// Starts the writing thread for `inner`.
    pub fn new(mut inner: W) -> BackgroundWriter<W> {
        let (sender, receiver) = mpsc::sync_channel::<Vec<u8>>(IN_FLIGHT);
        let thread = std::thread::spawn(move || {
            for buffer in receiver {
                inner.write_all(&buffer)?;
            }
            inner.flush()?;
            Ok(inner)
        });
        BackgroundWriter {
            buffer: Vec::with_capacity(BUFFER),
            sender: Some(sender),
            thread: Some(thread),
        }
    }

    /// Hands over what is gathered. Fails when the writing thread has
    /// stopped (it failed; `finish` says why).
    fn hand_over(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let full = std::mem::replace(&mut self.buffer, Vec::with_capacity(BUFFER));
        let sender = self.sender.as_ref().expect("only finish takes the sender");
        sender
            .send(full)
            .map_err(|_| io::Error::other("the export's writing thread stopped"))
    }

    /// Writes everything, waits for the thread, and returns the inner
    /// writer, or the first error the thread met.
    pub fn finish(mut self) -> io::Result<W> {
        let handed = self.hand_over();
        self.sender = None;
        let thread = self.thread.take().expect("finish runs once");
        let written = thread
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the export's writing thread panicked")));
        // The thread's own error says more than "it stopped".
        let inner = written?;
        handed?;
        Ok(inner)
    }
}

impl<W: Write + Send + 'static> Write for BackgroundWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.buffer.len() + bytes.len() > BUFFER {
            self.hand_over()?;
        }
        if bytes.len() >= BUFFER {
            let sender = self.sender.as_ref().expect("only finish takes the sender");
            sender
                .send(bytes.to_vec())
                .map_err(|_| io::Error::other("the export's writing thread stopped"))?;
        } else {
            self.buffer.extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }

    /// Hands over what is gathered; the thread writes it in its turn
    /// (`finish` waits for it).
    fn flush(&mut self) -> io::Result<()> {
        self.hand_over()
    }
}

impl<W: Write + Send + 'static> Drop for BackgroundWriter<W> {
    fn drop(&mut self) {
        if self.thread.is_some() {
            let _ = self.hand_over();
            self.sender = None;
            if let Some(thread) = self.thread.take() {
                let _ = thread.join();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_everything_in_order() {
        let mut writer = BackgroundWriter::new(Vec::new());
        let mut expected = Vec::new();
        for i in 0..200_000u32 {
            let line = format!("line {i}\n");
            writer.write_all(line.as_bytes()).unwrap();
            expected.extend_from_slice(line.as_bytes());
        }
        // A write larger than a buffer goes over whole.
        let big = vec![b'x'; 3 * BUFFER];
        writer.write_all(&big).unwrap();
        expected.extend_from_slice(&big);
        writer.write_all(b"end").unwrap();
        expected.extend_from_slice(b"end");
        assert_eq!(writer.finish().unwrap(), expected);
    }

    /// Fails every write.
    struct Broken;

    impl Write for Broken {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::other("disk full"))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_threads_error_reaches_the_caller() {
        let mut writer = BackgroundWriter::new(Broken);
        // Writes may succeed until the thread's failure shows.
        let _ = (0..100).try_for_each(|_| writer.write_all(&[0; BUFFER / 2]));
        let error = writer.finish().err().expect("an error");
        assert_eq!(error.to_string(), "disk full");
    }
}
