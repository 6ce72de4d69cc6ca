//! What one query may cost: a memory budget in bytes and a time budget,
//! and the meter the executor charges as it joins, so that a query too
//! large for the machine stops with an error instead of being killed by
//! the system.
//!
//! Memory is counted in bytes of what the executor holds for the answer
//! (rows, their evidence edges, the text each row will print, the
//! candidates of each join level), not in rows: a row of six names and a
//! row of one differ tenfold. Time is read every [`TICKS_PER_CLOCK`] steps
//! of the join, so a check costs nothing next to the step.

use std::time::{Duration, Instant};

/// The memory a query may use when nothing says otherwise: 1 GiB.
pub const DEFAULT_MAX_MEMORY: u64 = 1 << 30;

/// The time a query may run when nothing says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Join steps between two reads of the clock.
pub const TICKS_PER_CLOCK: u32 = 4096;

/// The bounds of one query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Bytes the executor may hold for the answer.
    pub max_memory: u64,
    /// How long the join and the answer may take.
    pub timeout: Duration,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget {
            max_memory: DEFAULT_MAX_MEMORY,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// Which bound a query went past.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exceeded {
    /// The memory budget.
    Memory,
    /// The time budget.
    Time,
}

impl Exceeded {
    /// "its memory budget of 1 GiB (--max-memory)" or the time's.
    pub fn describe(self, budget: &Budget) -> String {
        match self {
            Exceeded::Memory => format!(
                "its memory budget of {} (--max-memory)",
                format_bytes(budget.max_memory)
            ),
            Exceeded::Time => format!(
                "its time budget of {} (--timeout)",
                format_seconds(budget.timeout)
            ),
        }
    }
}

/// The running count of one query against its budget.
#[derive(Debug)]
pub struct Meter {
    budget: Budget,
    started: Instant,
    held: u64,
    ticks: u32,
}

impl Meter {
    /// A meter starting now with nothing held.
    pub fn new(budget: Budget) -> Meter {
        Meter {
            budget,
            started: Instant::now(),
            held: 0,
            ticks: 0,
        }
    }

    /// The budget it counts against.
    pub fn budget(&self) -> &Budget {
        &self.budget
    }

    /// One step of work; every [`TICKS_PER_CLOCK`] steps the clock is read.
    #[inline]
    pub fn tick(&mut self) -> Result<(), Exceeded> {
        self.ticks += 1;
        if self.ticks >= TICKS_PER_CLOCK {
            self.ticks = 0;
            self.check_time()?;
        }
        Ok(())
    }

    /// Reads the clock now.
    pub fn check_time(&self) -> Result<(), Exceeded> {
        if self.started.elapsed() > self.budget.timeout {
            Err(Exceeded::Time)
        } else {
            Ok(())
        }
    }

    /// Counts `bytes` more held; past the budget, an error.
    #[inline]
    pub fn charge(&mut self, bytes: usize) -> Result<(), Exceeded> {
        self.held = self.held.saturating_add(bytes as u64);
        if self.held > self.budget.max_memory {
            Err(Exceeded::Memory)
        } else {
            Ok(())
        }
    }

    /// Counts `bytes` given back.
    #[inline]
    pub fn refund(&mut self, bytes: usize) {
        self.held = self.held.saturating_sub(bytes as u64);
    }

    /// The bytes held now.
    pub fn held(&self) -> u64 {
        self.held
    }
}

/// `1 GiB`, `512 MiB`, `1.5 KiB`: the largest binary unit that keeps the
/// number at least 1, one decimal when it is not whole.
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value.fract() == 0.0 {
        format!("{value} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// `30 s`, `0.5 s`.
fn format_seconds(duration: Duration) -> String {
    format!("{} s", duration.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_is_counted_in_bytes_and_given_back() {
        let mut meter = Meter::new(Budget {
            max_memory: 100,
            timeout: Duration::from_secs(60),
        });
        assert_eq!(meter.charge(60), Ok(()));
        assert_eq!(meter.charge(40), Ok(()));
        assert_eq!(meter.charge(1), Err(Exceeded::Memory));
        meter.refund(50);
        assert_eq!(meter.held(), 51);
        assert_eq!(meter.charge(49), Ok(()));
    }

    #[test]
    fn time_is_read_every_so_many_ticks() {
        let mut meter = Meter::new(Budget {
            max_memory: u64::MAX,
            timeout: Duration::ZERO,
        });
        std::thread::sleep(Duration::from_millis(2));
        for _ in 1..TICKS_PER_CLOCK {
            assert_eq!(meter.tick(), Ok(()));
        }
        assert_eq!(meter.tick(), Err(Exceeded::Time));
    }

    #[test]
    fn budgets_read_as_a_person_writes_them() {
        assert_eq!(format_bytes(DEFAULT_MAX_MEMORY), "1 GiB");
        assert_eq!(format_bytes(512 << 20), "512 MiB");
        assert_eq!(format_bytes(1536), "1.5 KiB");
        assert_eq!(format_bytes(10), "10 bytes");
        assert_eq!(
            Exceeded::Time.describe(&Budget::default()),
            "its time budget of 30 s (--timeout)"
        );
    }
}
