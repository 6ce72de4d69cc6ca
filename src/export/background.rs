//! A writer that hands full buffers to a thread of its own, which does the
//! system calls.
//!
//! An export of a million relations is a gigabyte of text, and the kernel's
//! copying of it into the page cache took a quarter of the export's time on
//! the thread that formats it. With this writer the two overlap: the
//! formatting thread fills one mebibyte buffer while the other thread
//! writes the previous one. At most `IN_FLIGHT` buffers wait, so memory
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

    /// Hands over what is gathered.
    fn hand_over(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let full = std::mem::replace(&mut self.buffer, Vec::with_capacity(BUFFER));
        self.send(full)
    }

    /// Sends a buffer to the thread. The thread stops only when a write
    /// failed: then its error is the answer.
    fn send(&mut self, buffer: Vec<u8>) -> io::Result<()> {
        let Some(sender) = self.sender.as_ref() else {
            return Err(io::Error::other("the export's writing failed before"));
        };
        if sender.send(buffer).is_ok() {
            return Ok(());
        }
        self.sender = None;
        Err(self
            .join()
            .err()
            .unwrap_or_else(|| io::Error::other("the export's writing thread stopped")))
    }

    /// Waits for the thread: the inner writer, or the error it stopped on.
    fn join(&mut self) -> io::Result<W> {
        let Some(thread) = self.thread.take() else {
            return Err(io::Error::other("the export's writing failed before"));
        };
        thread
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the export's writing thread panicked")))
    }

    /// Writes everything, waits for the thread, and returns the inner
    /// writer, or the first error the writing met.
    pub fn finish(mut self) -> io::Result<W> {
        self.hand_over()?;
        self.sender = None;
        self.join()
    }
}

impl<W: Write + Send + 'static> Write for BackgroundWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.buffer.len() + bytes.len() > BUFFER {
            self.hand_over()?;
        }
        if bytes.len() >= BUFFER {
            self.send(bytes.to_vec())?;
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
    #[derive(Debug)]
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
        // Noticed at `finish`.
        let mut writer = BackgroundWriter::new(Broken);
        writer.write_all(b"a little").unwrap();
        let error = writer.finish().expect_err("an error");
        assert_eq!(error.to_string(), "disk full");
        // Noticed by a later write: that write fails with the same error.
        let mut writer = BackgroundWriter::new(Broken);
        let error = (0..100)
            .try_for_each(|_| writer.write_all(&[0; BUFFER / 2]))
            .expect_err("a write fails once the thread has stopped");
        assert_eq!(error.to_string(), "disk full");
    }
}
