//! The pages: one handler and one template each. Handlers read typed rows
//! from the library on a blocking thread and hand them to a compiled
//! template; nothing is built from request text but the values bound to
//! the library's calls.

use super::App;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use dossier::browse::{self, DocumentPage, EntityPage, Mark, MarkedMention, Piece};
use dossier::model::NodeType;
use dossier::query::{Answer, Cell};
use dossier::store::EntityRow;
use std::sync::Arc;

/// Names offered as someone types, at most.
const NAMES_AS_YOU_TYPE: usize = 12;
/// Entities a search page lists at most.
const SEARCH_ENTITIES: usize = 50;
/// Documents a search page lists at most.
const SEARCH_DOCUMENTS: usize = 50;
/// Edges the neighbourhood drawing holds at most.
const DRAWN_EDGES: usize = 60;
/// Longest Graphviz may take to draw a neighbourhood.
const GRAPHVIZ_TIME: std::time::Duration = std::time::Duration::from_secs(10);

/// Every route.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/search", get(search))
        .route("/api/names", get(names))
        .route("/api/status", get(status))
        .route("/entity/{id}", get(entity))
        .route("/entity/{id}/neighbourhood", get(neighbourhood))
        .route("/document/{id}", get(document))
        .route("/document", get(document_at))
        .route("/query", get(query))
        .route("/static/style.css", get(style))
        .route("/static/app.js", get(script))
        .fallback(not_found)
        .with_state(app)
}

/// A page that failed: a status and a message for people.
pub struct PageError {
    status: StatusCode,
    message: String,
}

impl PageError {
    fn not_found(message: impl Into<String>) -> PageError {
        PageError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }
}

impl From<anyhow::Error> for PageError {
    fn from(error: anyhow::Error) -> PageError {
        PageError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: format!("{error:#}"),
        }
    }
}

impl From<askama::Error> for PageError {
    fn from(error: askama::Error) -> PageError {
        anyhow::Error::from(error).into()
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let page = ErrorPage {
            q: String::new(),
            status: self.status.as_u16(),
            message: self.message,
        };
        match page.render() {
            Ok(html) => (self.status, Html(html)).into_response(),
            Err(_) => (self.status, "error").into_response(),
        }
    }
}

type PageResult = Result<Response, PageError>;

/// Renders `template` as a page.
fn page(template: &impl Template) -> PageResult {
    Ok(Html(template.render()?).into_response())
}

/// `/`: what the database holds, the most mentioned entities, the saved
/// queries.
#[derive(Template)]
#[template(path = "home.html")]
struct Home<'a> {
    q: String,
    documents: i64,
    relations: u64,
    evidence: u64,
    top: &'a [EntityRow],
    saved: &'a [super::SavedQuery],
}

async fn home(State(app): State<Arc<App>>) -> PageResult {
    let snapshot = app.snapshot();
    let (documents, relations, evidence) = snapshot.counts;
    page(&Home {
        q: String::new(),
        documents,
        relations,
        evidence,
        top: &snapshot.top,
        saved: &app.saved,
    })
}

/// The `q` parameter.
#[derive(serde::Deserialize)]
struct Asked {
    #[serde(default)]
    q: String,
}

/// An entity a search found.
struct FoundName {
    id: i64,
    kind: String,
    name: String,
    mentions: i64,
}

/// The entities whose names start with `typed` (at a word), whole names
/// and the most mentioned first.
fn found_names(app: &App, typed: &str, limit: usize) -> Vec<FoundName> {
    let snapshot = app.snapshot();
    let (names, mentions, graph) = (&snapshot.names, &snapshot.mentions, &snapshot.graph);
    let mut hits = names.find(typed, limit * 4);
    hits.sort_by_key(|h| {
        (
            !h.whole,
            !h.first_word,
            std::cmp::Reverse(mentions.get(&h.entity).copied().unwrap_or(0)),
        )
    });
    hits.into_iter()
        .filter_map(|h| {
            let node = graph.entity(h.entity);
            let (kind, name) = match node {
                Some(n) => (
                    graph.graph[n].kind.as_str().to_string(),
                    graph.graph[n].name.clone(),
                ),
                None => return None,
            };
            Some(FoundName {
                id: h.entity,
                kind,
                name,
                mentions: mentions.get(&h.entity).copied().unwrap_or(0),
            })
        })
        .take(limit)
        .collect()
}

/// A document a search found, with the passage that holds the words.
struct FoundText {
    id: i64,
    title: String,
    path: String,
    snippet: Vec<Piece>,
}

/// `/search?q=`: entities by name; documents by their words (full text),
/// path or title.
#[derive(Template)]
#[template(path = "search.html")]
struct Search {
    q: String,
    entities: Vec<FoundName>,
    documents: Vec<FoundText>,
    /// Whether more documents hold the words than are ranked.
    many: bool,
    /// Whether the full-text index was still being built.
    indexing: bool,
}

async fn search(State(app): State<Arc<App>>, Query(asked): Query<Asked>) -> PageResult {
    let q = asked.q.trim().to_string();
    let typed = q.clone();
    let (entities, documents, many) = app
        .with_store(move |app, store| {
            let entities = found_names(app, &typed, SEARCH_ENTITIES);
            if typed.is_empty() {
                return Ok((entities, Vec::new(), false));
            }
            let mut documents = Vec::new();
            let (hits, many) = store.search_text(&typed, SEARCH_DOCUMENTS)?;
            for hit in hits {
                let text = store.document_text(hit.document)?.unwrap_or_default();
                documents.push(FoundText {
                    id: hit.document,
                    title: hit.title,
                    path: hit.path,
                    snippet: browse::snippet(&text, &typed),
                });
            }
            for hit in store.documents_by_path_part(&typed, SEARCH_DOCUMENTS)? {
                if documents.len() >= SEARCH_DOCUMENTS {
                    break;
                }
                if !documents.iter().any(|f| f.id == hit.document) {
                    documents.push(FoundText {
                        id: hit.document,
                        title: hit.title,
                        path: hit.path,
                        snippet: Vec::new(),
                    });
                }
            }
            Ok((entities, documents, many))
        })
        .await?;
    page(&Search {
        q,
        entities,
        documents,
        many,
        indexing: app.indexing(),
    })
}

impl Search {
    /// Documents a search ranks at most.
    fn ranked(&self) -> usize {
        dossier::store::RANKED_AT_MOST
    }
}

/// A name offered as someone types.
#[derive(serde::Serialize)]
struct NameOffer {
    id: i64,
    name: String,
    kind: String,
    mentions: i64,
}

/// `/api/names?q=`: names as you type, as JSON.
async fn names(State(app): State<Arc<App>>, Query(asked): Query<Asked>) -> Json<Vec<NameOffer>> {
    let offers = found_names(&app, &asked.q, NAMES_AS_YOU_TYPE)
        .into_iter()
        .map(|f| NameOffer {
            id: f.id,
            name: f.name,
            kind: f.kind,
            mentions: f.mentions,
        })
        .collect();
    Json(offers)
}

/// What the server is at, for scripts and tests.
#[derive(serde::Serialize)]
struct Status {
    /// Whether full-text search answers (its index built).
    fulltext: bool,
    /// Whether the index is being built or brought in step now.
    indexing: bool,
}

/// `/api/status`: whether full-text search is ready, as JSON.
async fn status(State(app): State<Arc<App>>) -> Json<Status> {
    Json(Status {
        fulltext: app.indexed(),
        indexing: app.indexing(),
    })
}

/// `/entity/ID`.
#[derive(Template)]
#[template(path = "entity.html")]
struct Entity {
    q: String,
    page: EntityPage,
    drawn: bool,
}

async fn entity(State(app): State<Arc<App>>, Path(id): Path<String>) -> PageResult {
    let Ok(id) = id.parse::<i64>() else {
        return Err(PageError::not_found(format!(
            "`{id}` is not an entity number"
        )));
    };
    let found = app
        .with_store(move |app, store| Ok(browse::entity(store, &app.snapshot().graph, id)?))
        .await?;
    let Some(found) = found else {
        return Err(PageError::not_found(format!(
            "there is no entity number {id}"
        )));
    };
    let drawn = app.snapshot().graph.entity(id).is_some() && !found.groups.is_empty();
    page(&Entity {
        q: String::new(),
        page: found,
        drawn,
    })
}

/// `/entity/ID/neighbourhood?format=svg|graphml|gexf&depth=N`.
#[derive(serde::Deserialize)]
struct NeighbourhoodAsked {
    format: Option<String>,
    depth: Option<u32>,
}

/// `/entity/ID/neighbourhood?format=…&depth=N`: what lies within N (1 or
/// 2) relations, drawn by Graphviz (`svg`, the default) or as GraphML
/// (Gephi, yEd) or GEXF (Gephi).
async fn neighbourhood(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Query(asked): Query<NeighbourhoodAsked>,
) -> Result<Response, PageError> {
    let Ok(id) = id.parse::<i64>() else {
        return Err(PageError::not_found("no such entity"));
    };
    let depth = asked.depth.unwrap_or(1).clamp(1, 2);
    match asked.format.as_deref() {
        None | Some("svg") => {
            let svg = app
                .with_store(move |app, _| neighbourhood_svg(app, id, depth))
                .await?;
            match svg {
                Some(svg) => Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response()),
                None => Err(PageError::not_found("that entity has no relations to draw")),
            }
        }
        Some(format @ ("graphml" | "gexf")) => {
            neighbourhood_file(app, id, depth, format.to_string()).await
        }
        Some(other) => Err(PageError::not_found(format!(
            "no format `{other}` here: svg, graphml or gexf"
        ))),
    }
}

/// Entity `id`'s neighbourhood exported as `format` (`graphml`, `gexf`),
/// as the command line's `export FORMAT --around` writes it.
async fn neighbourhood_file(
    app: Arc<App>,
    id: i64,
    depth: u32,
    format: String,
) -> Result<Response, PageError> {
    let exported = format.clone();
    let written = app
        .with_store(move |app, store| {
            let filters = dossier::export::view::Filters {
                around_entity: Some(id),
                depth: Some(u64::from(depth)),
                ..Default::default()
            };
            let snapshot = app.snapshot();
            let view = match dossier::export::view::View::new(store, &snapshot.graph, &filters) {
                Ok(view) => view,
                Err(dossier::export::ExportError::Filter(_)) => return Ok(None),
                Err(error) => return Err(error.into()),
            };
            let mut out = Vec::new();
            match exported.as_str() {
                "gexf" => dossier::export::gexf::write(&view, &mut out)?,
                _ => dossier::export::graphml::write(&view, &mut out, false)?,
            }
            Ok(Some(out))
        })
        .await?;
    let Some(bytes) = written else {
        return Err(PageError::not_found(
            "that entity has no relations to export",
        ));
    };
    let disposition = format!("attachment; filename=\"neighbourhood-{id}.{format}\"");
    Ok((
        [
            (header::CONTENT_TYPE, "application/xml".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// The drawing of entity `id`'s neighbourhood, nodes linked to their pages.
fn neighbourhood_svg(app: &App, id: i64, depth: u32) -> anyhow::Result<Option<String>> {
    let snapshot = app.snapshot();
    let graph = &snapshot.graph;
    let Some(edges) = browse::neighbourhood(graph, id, depth, DRAWN_EDGES) else {
        return Ok(None);
    };
    let mut dot = Vec::new();
    dossier::export::dot::write_linked(
        graph,
        &edges,
        graph.entity(id),
        &|node| match node.kind {
            NodeType::Document => format!("/document/{}", node.id),
            _ => format!("/entity/{}", node.id),
        },
        &mut dot,
    )?;
    Ok(Some(super::graphviz_svg(&dot, GRAPHVIZ_TIME)?))
}

/// A run of a document's text: plain, a mention, or where a line starts.
struct Run<'a> {
    text: &'a str,
    mention: Option<&'a MarkedMention>,
    /// The 1-based number of the line starting here (an anchor).
    line: Option<usize>,
}

/// `/document/ID`.
#[derive(Template)]
#[template(path = "document.html")]
struct Document {
    q: String,
    page: DocumentPage,
}

impl Document {
    /// The text cut at its mentions and where its lines start (a mention
    /// never spans lines in the anchors' count: its own line breaks are
    /// counted after it).
    fn runs(&self) -> Vec<Run<'_>> {
        let text = &self.page.text;
        let mut out = vec![Run {
            text: "",
            mention: None,
            line: Some(1),
        }];
        let mut line = 1;
        let mut at = 0;
        for m in &self.page.mentions {
            if m.start < at {
                continue;
            }
            plain_runs(&text[at..m.start], &mut out, &mut line);
            out.push(Run {
                text: &text[m.start..m.end],
                mention: Some(m),
                line: None,
            });
            line += text[m.start..m.end].matches('\n').count();
            at = m.end;
        }
        plain_runs(&text[at..], &mut out, &mut line);
        out
    }
}

/// Runs of plain text, with an anchor after each line break.
fn plain_runs<'a>(piece: &'a str, out: &mut Vec<Run<'a>>, line: &mut usize) {
    for part in piece.split_inclusive('\n') {
        out.push(Run {
            text: part,
            mention: None,
            line: None,
        });
        if part.ends_with('\n') {
            *line += 1;
            out.push(Run {
                text: "",
                mention: None,
                line: Some(*line),
            });
        }
    }
}

async fn document(State(app): State<Arc<App>>, Path(id): Path<String>) -> PageResult {
    let Ok(id) = id.parse::<i64>() else {
        return Err(PageError::not_found(format!(
            "`{id}` is not a document number"
        )));
    };
    let found = app
        .with_store(move |_, store| Ok(browse::document(store, id)?))
        .await?;
    match found {
        Some(found) => page(&Document {
            q: String::new(),
            page: found,
        }),
        None => Err(PageError::not_found(format!(
            "there is no document number {id}"
        ))),
    }
}

/// `?path=`.
#[derive(serde::Deserialize)]
struct AtPath {
    #[serde(default)]
    path: String,
    line: Option<usize>,
}

/// `/document?path=P&line=N`: the page of the document stored under
/// path P (at line N).
async fn document_at(State(app): State<Arc<App>>, Query(at): Query<AtPath>) -> PageResult {
    let path = at.path.clone();
    let id = app
        .with_store(move |_, store| Ok(store.document_id(&path)?))
        .await?;
    match id {
        Some(id) => {
            let anchor = at.line.map(|l| format!("#line-{l}")).unwrap_or_default();
            Ok(axum::response::Redirect::to(&format!("/document/{id}{anchor}")).into_response())
        }
        None => Err(PageError::not_found(format!(
            "no document is stored under `{}`",
            at.path
        ))),
    }
}

/// The query page's parameters.
#[derive(serde::Deserialize)]
struct Asking {
    #[serde(default)]
    query: String,
    format: Option<String>,
}

/// One cell of an answer, linked when it is a node.
struct ShownCell {
    text: String,
    link: Option<String>,
}

/// `/query?query=`.
#[derive(Template)]
#[template(path = "query.html")]
struct QueryPage<'a> {
    q: String,
    query: String,
    columns: Vec<String>,
    rows: Vec<(Vec<ShownCell>, Vec<dossier::explain::EvidenceRow>)>,
    total: usize,
    notes: Vec<String>,
    error: Option<String>,
    saved: &'a [super::SavedQuery],
}

impl<'a> QueryPage<'a> {
    /// The page of `query` with no answer: not asked yet, or `error`.
    fn without_answer(
        query: String,
        error: Option<String>,
        saved: &'a [super::SavedQuery],
    ) -> QueryPage<'a> {
        QueryPage {
            q: String::new(),
            query,
            columns: Vec::new(),
            rows: Vec::new(),
            total: 0,
            notes: Vec::new(),
            error,
            saved,
        }
    }
}

async fn query(State(app): State<Arc<App>>, Query(asking): Query<Asking>) -> PageResult {
    let text = asking.query.trim().to_string();
    let format = asking.format.clone();
    if text.is_empty() {
        return page(&QueryPage::without_answer(text, None, &app.saved));
    }
    let asked = text.clone();
    // One snapshot for the answer and its cells: node numbers are its own.
    let snapshot = app.snapshot();
    let graph_of_answer = Arc::clone(&snapshot);
    let answered = app
        .with_store(move |app, store| {
            let graph = &graph_of_answer.graph;
            let answer = match dossier::query::ask_within(&asked, graph, store, &app.options.budget)
            {
                Ok(answer) => answer,
                Err(error) => return Ok(Err(error.render(&asked))),
            };
            let shown = answer.rows.len().min(app.options.max_rows);
            let evidence = if format.is_none() {
                let head = Answer {
                    columns: answer.columns.clone(),
                    rows: answer.rows[..shown].to_vec(),
                    notes: Vec::new(),
                    warnings: Vec::new(),
                };
                dossier::explain::answer_evidence(store, graph, &head)?
            } else {
                Vec::new()
            };
            Ok(Ok((answer, evidence)))
        })
        .await?;
    let (answer, evidence) = match answered {
        Ok(found) => found,
        Err(rendered) => {
            let body = page(&QueryPage::without_answer(text, Some(rendered), &app.saved))?;
            return Ok((StatusCode::BAD_REQUEST, body).into_response());
        }
    };
    let cell = |c: &Cell| match c {
        Cell::Node(n) => {
            let node = &snapshot.graph.graph[*n];
            let link = match node.kind {
                NodeType::Document => format!("/document/{}", node.id),
                _ => format!("/entity/{}", node.id),
            };
            ShownCell {
                text: node.name.clone(),
                link: Some(link),
            }
        }
        Cell::Number(n) => ShownCell {
            text: n.to_string(),
            link: None,
        },
        Cell::Text(t) => ShownCell {
            text: t.clone(),
            link: None,
        },
    };
    match asking.format.as_deref() {
        Some("csv") => {
            let mut out = csv::Writer::from_writer(Vec::new());
            out.write_record(&answer.columns)
                .map_err(anyhow::Error::from)?;
            // Opened in spreadsheets: formula prefixes guarded, as every
            // CSV of the command line is.
            for row in &answer.rows {
                out.write_record(
                    row.cells
                        .iter()
                        .map(|c| dossier::spreadsheet::guarded(&cell(c).text).into_owned()),
                )
                .map_err(anyhow::Error::from)?;
            }
            let bytes = out.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
            return Ok((
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"answer.csv\"",
                    ),
                ],
                bytes,
            )
                .into_response());
        }
        Some("json") => {
            let rows: Vec<serde_json::Map<String, serde_json::Value>> = answer
                .rows
                .iter()
                .map(|row| {
                    answer
                        .columns
                        .iter()
                        .cloned()
                        .zip(
                            row.cells
                                .iter()
                                .map(|c| serde_json::Value::String(cell(c).text)),
                        )
                        .collect()
                })
                .collect();
            return Ok((
                [(
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"answer.json\"",
                )],
                Json(rows),
            )
                .into_response());
        }
        _ => {}
    }
    let rows = answer
        .rows
        .iter()
        .zip(evidence)
        .map(|(row, evidence)| (row.cells.iter().map(cell).collect(), evidence))
        .collect();
    page(&QueryPage {
        q: String::new(),
        query: text,
        columns: answer.columns.clone(),
        rows,
        total: answer.rows.len(),
        notes: answer
            .warnings
            .iter()
            .chain(&answer.notes)
            .cloned()
            .collect(),
        error: None,
        saved: &app.saved,
    })
}

/// A page for what is not there.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    q: String,
    status: u16,
    message: String,
}

async fn not_found() -> PageError {
    PageError::not_found("there is no such page")
}

async fn style() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../../static/style.css"),
    )
}

async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../../static/app.js"),
    )
}

/// What the templates call.
trait Helpers {
    /// The page of a link's node.
    fn href(&self, link: &browse::Link) -> String {
        href(link)
    }
    /// The CSS class of a piece of a quote (empty for plain text).
    fn mark_class(&self, piece: &Piece) -> &'static str {
        mark_class(piece)
    }
}

impl<T: Template> Helpers for T {}

impl Entity {
    /// Documents whose mentions the page lists at most.
    fn documents_shown(&self) -> usize {
        browse::MENTION_DOCUMENTS
    }

    /// The query that lists every fact of `group`.
    fn more_query(&self, group: &browse::FactGroup) -> String {
        let name = format!(
            "\"{}\"",
            self.page
                .entity
                .label
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
        );
        if group.outgoing {
            format!("{name} {} ?other", group.kind)
        } else {
            format!("?other {} {name}", group.kind)
        }
    }
}

/// The CSS class of a piece of a quote.
fn mark_class(piece: &Piece) -> &'static str {
    match piece.mark {
        Mark::Plain => "",
        Mark::Subject => "subject",
        Mark::Object => "object",
        Mark::Found => "found",
    }
}

/// The page of a link's node.
fn href(link: &browse::Link) -> String {
    match link.kind {
        NodeType::Document => format!("/document/{}", link.id),
        _ => format!("/entity/{}", link.id),
    }
}
