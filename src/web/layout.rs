//! The page shell every page shares (HTML5, one stylesheet from this server) and small pieces
//! of markup the pages repeat.

use chrono::{DateTime, Utc};
use maud::{html, Markup, DOCTYPE};

use super::{csrf, Visit};

/// Which site a page belongs to, for its navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Area {
    Landing,
    Worker,
    Requester,
}

impl Area {
    /// Where "back" leads.
    pub(crate) fn home(self) -> &'static str {
        match self {
            Area::Landing => "/",
            Area::Worker => "/mturk/findhits",
            Area::Requester => "/requester/hits",
        }
    }
}

/// A whole page: `title` heads it, `body` is its content.
pub(crate) fn shell(title: &str, area: Area, visit: &Visit, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — turkstand" }
                link rel="stylesheet" href="/mturk/site.css";
            }
            body {
                header.top {
                    a.brand href="/" { "turkstand" }
                    nav aria-label="Site" {
                        @match area {
                            Area::Worker => {
                                a href="/mturk/findhits" { "Find HITs" }
                                a href="/mturk/dashboard" { "Dashboard" }
                                @if let Some(w) = &visit.worker {
                                    span.who { "Worker " strong { (w) } }
                                    (post_button(visit, "/mturk/signout", "Sign out", &[]))
                                } @else {
                                    a href="/mturk/signin" { "Sign in" }
                                }
                            }
                            Area::Requester => {
                                a href="/requester/hits" { "HITs" }
                                a href="/requester/qualifications" { "Qualifications" }
                                a href="/requester/account" { "Account" }
                                a href="/requester/clock" { "Clock" }
                                @if let Some(r) = &visit.requester {
                                    span.who { "Requester " strong { (r) } }
                                    (post_button(visit, "/requester/signout", "Sign out", &[]))
                                } @else {
                                    a href="/requester/signin" { "Sign in" }
                                }
                            }
                            Area::Landing => {
                                a href="/mturk/findhits" { "Worker site" }
                                a href="/requester/hits" { "Requester console" }
                            }
                        }
                    }
                }
                main {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

/// The hidden CSRF field every form carries.
pub(crate) fn csrf_field(visit: &Visit) -> Markup {
    html! { input type="hidden" name=(csrf::FIELD) value=(visit.csrf.value()); }
}

/// A one-button form that POSTs `fields` to `action`.
pub(crate) fn post_button(
    visit: &Visit,
    action: &str,
    label: &str,
    fields: &[(&str, &str)],
) -> Markup {
    html! {
        form.inline method="post" action=(action) {
            (csrf_field(visit))
            @for (name, value) in fields {
                input type="hidden" name=(name) value=(value);
            }
            button type="submit" { (label) }
        }
    }
}

pub(crate) fn time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

pub(crate) fn maybe_time(t: Option<DateTime<Utc>>) -> String {
    t.map(time).unwrap_or_default()
}

/// A duration in seconds as a person reads it.
pub(crate) fn duration(seconds: i64) -> String {
    match seconds {
        s if s % 86_400 == 0 && s > 0 => format!("{} days", s / 86_400),
        s if s % 3_600 == 0 && s > 0 => format!("{} hours", s / 3_600),
        s if s % 60 == 0 && s > 0 => format!("{} minutes", s / 60),
        s => format!("{s} seconds"),
    }
}

/// Links to the previous and next pages of a list, keeping the rest of the query.
pub(crate) fn pager(base: &str, keep: &[(&str, &str)], page: i64, more: bool) -> Markup {
    let link = |n: i64| {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in keep.iter().filter(|(_, v)| !v.is_empty()) {
            q.append_pair(k, v);
        }
        q.append_pair("pageNumber", &n.to_string());
        format!("{base}?{}", q.finish())
    };
    html! {
        nav.pager aria-label="Pages" {
            @if page > 1 { a rel="prev" href=(link(page - 1)) { "← Previous" } }
            span { "Page " (page) }
            @if more { a rel="next" href=(link(page + 1)) { "Next →" } }
        }
    }
}

pub(crate) const CSS: &str = r#"
:root { font-family: system-ui, sans-serif; color: #1d232b; background: #f6f7f9; }
body { margin: 0; }
header.top { display: flex; gap: 1.5rem; align-items: center; background: #232f3e; color: #fff;
  padding: .6rem 1.2rem; flex-wrap: wrap; }
header.top a { color: #fff; text-decoration: none; }
header.top a.brand { font-weight: 700; font-size: 1.2rem; color: #ff9900; }
header.top nav { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
header.top .who { color: #d5dbdb; }
header.top button { background: none; color: #fff; border: 1px solid #8d99a6; border-radius: 3px; }
main { padding: 1rem 1.5rem; max-width: 72rem; }
h1 { font-size: 1.5rem; margin-top: .5rem; }
table { border-collapse: collapse; width: 100%; background: #fff; margin: .5rem 0 1rem; }
th, td { border: 1px solid #d5dbdb; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #eaeded; }
tr.unqualified td { color: #6b7785; background: #fbf3f3; }
.tag { display: inline-block; padding: 0 .4rem; border-radius: 3px; font-size: .85rem; }
.tag.bad { background: #d13212; color: #fff; }
.tag.ok { background: #1d8102; color: #fff; }
.error { background: #fde8e4; border: 1px solid #d13212; padding: .5rem 1rem; border-radius: 4px; }
.notice { background: #e8f4fd; border: 1px solid #0073bb; padding: .5rem 1rem; border-radius: 4px; }
form.inline { display: inline; }
form.stack label { display: block; margin-top: .6rem; font-weight: 600; }
form.stack input[type=text], form.stack input[type=number], form.stack textarea, form.stack select {
  width: 100%; max-width: 36rem; box-sizing: border-box; }
form.stack .choice label { display: inline; font-weight: normal; margin-left: .3rem; }
fieldset { border: 1px solid #d5dbdb; background: #fff; margin: .8rem 0; padding: .6rem 1rem; }
legend { font-weight: 600; }
button { background: #ff9900; border: 1px solid #c7780a; border-radius: 3px; padding: .3rem .8rem;
  cursor: pointer; color: #1d232b; }
button[disabled] { background: #d5dbdb; border-color: #aab7b8; cursor: not-allowed; }
iframe.task { width: 100%; border: 1px solid #aab7b8; background: #fff; }
iframe.content { width: 100%; border: 0; height: 12rem; }
nav.pager { display: flex; gap: 1rem; }
dl.terms { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.terms dt { font-weight: 600; }
svg.chart { background: #fff; border: 1px solid #d5dbdb; }
.actions form { margin: .2rem 0; }
pre.answer { white-space: pre-wrap; margin: 0; }
"#;
