//! Relations: who signed, recognised, condemned, leads, occupies what,
//! each with the sentence that states it.
//!
//! The rules are data ([`rules`]: `gazetteers/relations/*.rules`), compiled
//! once against the gazetteer ([`Compiled`]). For each document,
//! [`extract`] reads the mentions the matcher already found — it never
//! scans the text for names again — builds one view of tokens, names and
//! sentences, reads the document's structure (heading lines naming the
//! authors, signatory blocks) and then every trigger of running text in
//! its rule's form. What it finds carries its evidence: the sentence (or
//! signatory entry), both names' spans, the rule, a confidence and the
//! date the text gives.
//!
//! # Invariants
//! - A relation is only ever made from two names the gazetteers know (or
//!   the document itself for `signed`), never from a guessed name.
//! - A trigger with a hedge or negation between it and its subject ("urged
//!   Kyiv to recognise", "would have voted on") gives nothing.

mod calendar;
mod compiled;
pub mod dates;
mod forms;
mod layout;
mod periods;
pub mod rules;
pub mod sentence;
mod signatories;

pub use calendar::DateSource;
pub use compiled::Compiled;
pub use layout::Tokens;
pub use periods::Period;

use crate::mention::Mention;
use forms::{Context, Hit};
use layout::Layout;
use rules::Form;
use std::ops::Range;

/// One relation found in a document, with its evidence.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    /// The relation kind, an index into [`Compiled::kinds`].
    pub kind: u16,
    /// The rule that found it, an index into [`Compiled::rule_name`].
    pub rule: u16,
    /// Gazetteer index of the subject.
    pub subject: u32,
    /// Gazetteer index of the object, or `None` for the document itself.
    pub object: Option<u32>,
    /// Byte span of the sentence (or signatory entry) stating it.
    pub evidence: Range<u32>,
    /// Byte span of the words naming the subject ("We" included).
    pub subject_span: Range<u32>,
    /// Byte span of the words naming the object.
    pub object_span: Option<Range<u32>>,
    /// How sure the rule is, 0 to 1.
    pub confidence: f32,
    /// ISO 8601 date the text gives for it, as precise as the text.
    pub date: Option<String>,
    /// Where the text gives the date (with `date`).
    pub date_source: Option<DateSource>,
    /// When the relation held, as the evidence bounds it, and whether it
    /// calls it a former role.
    pub period: Period,
}

impl Compiled {
    /// The name of rule `index`, as written in its file.
    pub fn rule_name(&self, index: u16) -> &str {
        &self.rules[index as usize].rule.name
    }
}

/// Every relation the rules find in `text`, whose mentions are
/// `mentions` (in text order), deduplicated per evidence span.
pub fn extract(compiled: &Compiled, text: &str, mentions: &[Mention]) -> Vec<Found> {
    if compiled.is_empty() || mentions.is_empty() {
        return Vec::new();
    }
    extract_with(compiled, text, mentions, Tokens::of(text, compiled))
}

/// [`extract`], with the text's tokens already gathered (while matching:
/// see `ingest::mentions_in`).
pub fn extract_with(
    compiled: &Compiled,
    text: &str,
    mentions: &[Mention],
    tokens: Tokens,
) -> Vec<Found> {
    if compiled.is_empty() || mentions.is_empty() {
        return Vec::new();
    }
    let layout = Layout::new(text, mentions, compiled, tokens);
    let mut ctx = Context {
        layout,
        author: None,
        hits: Vec::new(),
        adopting_bodies: std::cell::OnceCell::new(),
    };
    let descriptions = signatories::read(&mut ctx);
    let triggers = outermost_roles(compiled, &ctx.layout.triggers);
    for trigger in triggers {
        let rule = &compiled.rules[trigger.rule as usize];
        let in_description = descriptions.iter().any(|d| d.contains(&trigger.tokens.0));
        match rule.rule.form {
            Form::Verb => ctx.verb(trigger.rule, trigger.tokens),
            Form::Noun => ctx.noun(trigger.rule, trigger.tokens),
            Form::Agent => ctx.agent(trigger.rule, trigger.tokens),
            Form::Role if !in_description => ctx.role(trigger.rule, trigger.tokens, None),
            _ => {}
        }
    }
    for (index, rule) in compiled.rules.iter().enumerate() {
        match rule.rule.form {
            Form::PersonOf => ctx.person_of(index as u16),
            Form::PersonParenthesis => ctx.person_parenthesis(index as u16),
            Form::Listed => ctx.listed(index as u16),
            _ => {}
        }
    }
    finish(&ctx.layout, ctx.hits)
}

/// The triggers, without role words inside a longer role ("minister" in
/// "prime minister", "member" in "board member"): the longer one decides.
/// `triggers` are in text order (by first token).
pub(crate) fn outermost_roles(
    compiled: &Compiled,
    triggers: &[layout::Trigger],
) -> Vec<layout::Trigger> {
    let is_role = |t: &layout::Trigger| compiled.rules[t.rule as usize].rule.form == Form::Role;
    // The triggers are in text order: a role holding `t` starts at most
    // `longest` tokens before `t` ends, and not after `t` starts.
    let longest = triggers
        .iter()
        .map(|t| t.tokens.1 - t.tokens.0)
        .max()
        .unwrap_or(0);
    triggers
        .iter()
        .filter(|t| {
            if !is_role(t) {
                return true;
            }
            let from = triggers.partition_point(|o| o.tokens.0 + longest < t.tokens.1);
            !triggers[from..]
                .iter()
                .take_while(|o| o.tokens.0 <= t.tokens.0)
                .any(|o| {
                    is_role(o)
                        && t.tokens.1 <= o.tokens.1
                        && o.tokens.1 - o.tokens.0 > t.tokens.1 - t.tokens.0
                })
        })
        .copied()
        .collect()
}

/// Dates the hits and keeps one per (kind, subject, object, evidence).
fn finish(layout: &Layout<'_>, mut hits: Vec<Hit>) -> Vec<Found> {
    if hits.is_empty() {
        return Vec::new();
    }
    hits.sort_by(|a, b| {
        (
            a.kind,
            a.subject.entity,
            a.object.as_ref().map(|o| o.entity),
            a.evidence.start,
        )
            .cmp(&(
                b.kind,
                b.subject.entity,
                b.object.as_ref().map(|o| o.entity),
                b.evidence.start,
            ))
            .then(b.confidence.total_cmp(&a.confidence))
    });
    hits.dedup_by(|b, a| {
        a.kind == b.kind
            && a.subject.entity == b.subject.entity
            && a.object.as_ref().map(|o| o.entity) == b.object.as_ref().map(|o| o.entity)
            && a.evidence == b.evidence
    });
    let mut calendar = calendar::Calendar::new(layout.text, &layout.lines, &layout.rules.dates);
    let mut found: Vec<Found> = hits
        .into_iter()
        .map(|hit| {
            let subject = &hit.subject.span;
            let extent = match &hit.object {
                Some(o) => subject.start.min(o.span.start)..subject.end.max(o.span.end),
                None => subject.clone(),
            };
            let (period, bounds) = periods::period_of(layout, &hit);
            let present = layout.speaks_of_the_present(hit.evidence.clone());
            let dated =
                calendar.date_of(hit.evidence.clone(), extent, &bounds, period.from, present);
            Found {
                kind: hit.kind,
                rule: hit.rule,
                subject: hit.subject.entity,
                object: hit.object.as_ref().map(|o| o.entity),
                date_source: dated.as_ref().map(|d| d.source),
                date: dated.map(|d| d.date),
                evidence: hit.evidence,
                subject_span: hit.subject.span,
                object_span: hit.object.map(|o| o.span),
                confidence: hit.confidence,
                period,
            }
        })
        .collect();
    found.sort_by_key(|f| (f.evidence.start, f.subject_span.start, f.kind));
    found
}

#[cfg(test)]
mod tests;
