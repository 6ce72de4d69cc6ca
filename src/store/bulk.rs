//! Many rows into one table through multi-row `INSERT` statements.
//!
//! A one-row `INSERT` opens the table's cursors and finds its end again for
//! every row; one statement of [`ROWS_PER_STATEMENT`] rows does that once.

use rusqlite::{Connection, Result, Statement};

/// Rows bound to one statement. Writing the rows of a first sync of
/// 100,000 entities (255,904 with their aliases, foreign-key checks off):
/// 0.32 s one to a statement, 0.23–0.26 s sixteen, 0.19 s sixty-four, and
/// no less with 256.
const ROWS_PER_STATEMENT: usize = 64;

/// Rows of `T` waiting to go into one table, written a statement's worth
/// at a time; [`BulkInsert::finish`] writes the rest.
pub(super) struct BulkInsert<'t, T> {
    conn: &'t Connection,
    /// `INSERT ... INTO table (columns)`, without `VALUES`.
    head: &'static str,
    /// Columns per row.
    width: usize,
    /// Binds one row's values from the given first parameter index.
    bind: fn(&mut Statement<'_>, usize, &T) -> Result<()>,
    /// The statement for a full set of rows, prepared on first use.
    full: Option<Statement<'t>>,
    rows: Vec<T>,
}

impl<'t, T> BulkInsert<'t, T> {
    /// Rows of `width` values for `head` (`INSERT INTO t (a, b)`), each
    /// bound by `bind(statement, first_index, row)`, written through `conn`
    /// (a transaction, for speed).
    pub(super) fn new(
        conn: &'t Connection,
        head: &'static str,
        width: usize,
        bind: fn(&mut Statement<'_>, usize, &T) -> Result<()>,
    ) -> Self {
        BulkInsert {
            conn,
            head,
            width,
            bind,
            full: None,
            rows: Vec::with_capacity(ROWS_PER_STATEMENT),
        }
    }

    /// Adds a row, writing a statement's worth when there is one.
    pub(super) fn push(&mut self, row: T) -> Result<()> {
        self.rows.push(row);
        if self.rows.len() == ROWS_PER_STATEMENT {
            if self.full.is_none() {
                self.full = Some(self.conn.prepare(&self.sql(ROWS_PER_STATEMENT))?);
            }
            let statement = self.full.as_mut().expect("prepared above");
            Self::write(statement, self.width, self.bind, &self.rows)?;
            self.rows.clear();
        }
        Ok(())
    }

    /// Writes the rows still waiting.
    pub(super) fn finish(mut self) -> Result<()> {
        if !self.rows.is_empty() {
            let mut statement = self.conn.prepare(&self.sql(self.rows.len()))?;
            Self::write(&mut statement, self.width, self.bind, &self.rows)?;
            self.rows.clear();
        }
        Ok(())
    }

    fn write(
        statement: &mut Statement<'_>,
        width: usize,
        bind: fn(&mut Statement<'_>, usize, &T) -> Result<()>,
        rows: &[T],
    ) -> Result<()> {
        for (i, row) in rows.iter().enumerate() {
            bind(statement, i * width + 1, row)?;
        }
        statement.raw_execute()?;
        Ok(())
    }

    /// The statement text for `rows` rows.
    fn sql(&self, rows: usize) -> String {
        let row = format!("({})", vec!["?"; self.width].join(", "));
        format!("{} VALUES {}", self.head, vec![row; rows].join(", "))
    }
}
