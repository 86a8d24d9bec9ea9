//! HIT types and HITs: registering types, creating HITs (from properties, a HIT type or a
//! layout), looking them up and listing them, and every change a requester makes to a HIT.

mod changes;
mod create;
mod listing;
mod types;

pub(crate) use changes::{
    change_hit_type_of_hit, disable_hit, dispose_hit, extend_hit, force_expire_hit,
    set_hit_as_reviewing,
};
pub(crate) use create::create_hit;
pub(crate) use listing::{get_hit, get_reviewable_hits, search_hits};
pub(crate) use types::register_hit_type;

#[cfg(test)]
mod tests;
