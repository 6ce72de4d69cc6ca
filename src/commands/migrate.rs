//! `dossier migrate`: the database's schema brought up to this dossier's
//! version, the one change commands that only read leave to be asked for.

use super::{Context, Outcome};
use anyhow::Result;
use dossier::store::StoreError;
use dossier::store::schema::{SchemaError, VERSION};
use dossier::workspace::WorkspaceError;
use std::io::Write;

/// `dossier migrate`: one line saying from which version to which, or
/// that the database was up to date.
pub fn run(ctx: &Context, out: &mut dyn Write) -> Result<Outcome> {
    let db = &ctx.workspace.db;
    let found = match ctx.workspace.read_store() {
        Ok(_) => {
            writeln!(
                out,
                "{} is at schema version {VERSION} already",
                db.display()
            )?;
            return Ok(Outcome::Done);
        }
        Err(WorkspaceError::Database {
            source: StoreError::Schema(SchemaError::TooOld { found }),
            ..
        }) => found,
        Err(e) => return Err(e.into()),
    };
    ctx.workspace.open_existing_store()?;
    writeln!(
        out,
        "{} brought from schema version {found} to {VERSION}",
        db.display()
    )?;
    Ok(Outcome::Done)
}
