//! Looking HITs up and listing them: GetHIT, SearchHITs and GetReviewableHITs.

use chrono::{DateTime, Utc};

use crate::error::OpError;
use crate::handlers::access::own_hit;
use crate::handlers::render::{self, clamp_i32, hit_status, Groups};
use crate::handlers::rules::given;
use crate::handlers::rules::paging;
use crate::handlers::service::{Context, Service};
use crate::model::requester as api;
use crate::store::{self, AssignmentCounts, HitFilter, HitQuery, HitSort, Tx};

/// The HIT with its assignment counts and the status they give it now.
pub(super) fn hit_and_status(
    tx: &Tx<'_>,
    hit: store::Hit,
    now: DateTime<Utc>,
) -> Result<(store::Hit, AssignmentCounts, api::HITStatus), OpError> {
    let counts = tx.assignment_counts(&hit.hit_id)?;
    let status = hit_status(&hit, counts.slots(), now);
    Ok((hit, counts, status))
}

pub(crate) fn get_hit(
    svc: &Service,
    ctx: &Context,
    req: api::GetHITRequest,
) -> Result<api::HIT, OpError> {
    let now = ctx.now;
    let groups = Groups::of(
        &req.response_group,
        &["Minimal", "HITDetail", "HITQuestion"],
    );
    svc.store.read(|tx| {
        let hit = own_hit(tx, ctx, &req.hit_id)?;
        let counts = groups.hit_counts(tx, &hit.hit_id)?;
        Ok::<_, OpError>(render::hit(&hit, &counts, groups, now))
    })
}

fn render_hits(
    tx: &Tx<'_>,
    hits: &[store::Hit],
    groups: Groups,
    now: DateTime<Utc>,
) -> Result<Vec<api::HIT>, OpError> {
    hits.iter()
        .map(|h| {
            Ok(render::hit(
                h,
                &groups.hit_counts(tx, &h.hit_id)?,
                groups,
                now,
            ))
        })
        .collect()
}

fn hit_sort(p: Option<api::SearchHITsSortProperty>, default: HitSort) -> HitSort {
    use api::SearchHITsSortProperty as P;
    match p {
        Some(P::Title) => HitSort::Title,
        Some(P::Reward) => HitSort::Reward,
        Some(P::Expiration) => HitSort::Expiration,
        Some(P::CreationTime) => HitSort::CreationTime,
        Some(P::Enumeration) => HitSort::Enumeration,
        None => default,
    }
}

pub(crate) fn search_hits(
    svc: &Service,
    ctx: &Context,
    req: api::SearchHITsRequest,
) -> Result<api::SearchHITsResult, OpError> {
    let (page_size, page_number) = paging(req.page_size, req.page_number, 1..=100)?;
    let now = ctx.now;
    let groups = Groups::of(
        &req.response_group,
        &["Minimal", "HITDetail", "HITAssignmentSummary"],
    );
    let query = HitQuery {
        requester: &ctx.requester,
        filter: HitFilter::Live,
        sort: hit_sort(req.sort_property, HitSort::CreationTime),
        descending: matches!(req.sort_direction, Some(api::SortDirection::Descending)),
        page_size,
        page_number,
    };
    svc.store.read(|tx| {
        let page = tx.list_hits(&query)?;
        let hits = render_hits(tx, &page.items, groups, now)?;
        Ok(api::SearchHITsResult {
            request: None,
            page_number: Some(clamp_i32(page_number)),
            num_results: Some(clamp_i32(hits.len() as i64)),
            total_num_results: Some(clamp_i32(page.total)),
            hit: hits,
        })
    })
}

pub(crate) fn get_reviewable_hits(
    svc: &Service,
    ctx: &Context,
    req: api::GetReviewableHITsRequest,
) -> Result<api::GetReviewableHITsResult, OpError> {
    let (page_size, page_number) = paging(req.page_size, req.page_number, 1..=100)?;
    let now = ctx.now;
    let hit_type_id = given(&req.hit_type_id);
    // Both statuses at once is what REST callers repeating Status got.
    let reviewing = req.status.contains(&api::ReviewableHITStatus::Reviewing);
    let reviewable =
        req.status.is_empty() || req.status.contains(&api::ReviewableHITStatus::Reviewable);
    let filter = match (reviewable, reviewing) {
        (true, true) => HitFilter::ReviewableOrReviewing { now, hit_type_id },
        (false, _) => HitFilter::Reviewing { hit_type_id },
        (true, false) => HitFilter::Reviewable { now, hit_type_id },
    };
    use api::GetReviewableHITsSortProperty as P;
    let sort = match req.sort_property {
        Some(P::Title) => HitSort::Title,
        Some(P::Reward) => HitSort::Reward,
        Some(P::CreationTime) => HitSort::CreationTime,
        Some(P::Enumeration) => HitSort::Enumeration,
        Some(P::Expiration) | None => HitSort::Expiration,
    };
    // Unlike the other lists, this one runs newest expiration first unless told otherwise.
    let descending = !matches!(req.sort_direction, Some(api::SortDirection::Ascending));
    let query = HitQuery {
        requester: &ctx.requester,
        filter,
        sort,
        descending,
        page_size,
        page_number,
    };
    svc.store.read(|tx| {
        let page = tx.list_hits(&query)?;
        // The operation has the Minimal response group only: each HIT is its HITId.
        let hits: Vec<api::HIT> = page
            .items
            .into_iter()
            .map(|h| api::HIT {
                hit_id: Some(h.hit_id),
                ..Default::default()
            })
            .collect();
        Ok::<_, OpError>(api::GetReviewableHITsResult {
            request: None,
            page_number: Some(clamp_i32(page_number)),
            num_results: Some(clamp_i32(hits.len() as i64)),
            total_num_results: Some(clamp_i32(page.total)),
            hit: hits,
        })
    })
}
