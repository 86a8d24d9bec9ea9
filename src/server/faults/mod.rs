//! Fault rules: throttling, outages, slow and lost answers, on demand, for legacy clients to
//! meet. [`Faults`] holds the rules and decides, exchange by exchange, which one fires;
//! `server::exchange` applies the effect, and [`answers`] writes the legacy bodies.
//!
//! Faults never corrupt the store: every effect but a lost answer acts before the call is
//! performed, and a lost answer only after the call has run and committed.

pub(crate) mod answers;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::admin::api::{route, FaultEffect, FaultRule, FaultView, FaultWhen, Scope, Transport};
use crate::model::requester::Operation;

/// How long a stall holds a connection unless the configuration says otherwise.
pub const DEFAULT_STALL_MAX: Duration = Duration::from_secs(60);

/// What an exchange is, as far as rules and the journal care.
#[derive(Debug, Clone, Default)]
pub(crate) struct Call {
    pub(crate) transport: Option<Transport>,
    /// The operation, or an admin route's name.
    pub(crate) operation: Option<&'static str>,
    /// The version a REST call names; a SOAP call's is its namespace's ([`Call::version`]).
    pub(crate) version: Option<String>,
    pub(crate) account: Option<String>,
    /// The namespace a SOAP call came in; its answer goes back in it.
    pub(crate) namespace: Option<String>,
    /// One of the simulated workers' admin routes.
    pub(crate) worker: bool,
}

impl Call {
    /// The version the call names: a REST call's `Version`, or the last segment of a SOAP
    /// call's namespace.
    pub(crate) fn version(&self) -> Option<&str> {
        self.version.as_deref().or_else(|| {
            self.namespace
                .as_deref()
                .and_then(|ns| ns.trim_end_matches('/').rsplit('/').next())
        })
    }
}

/// A rule that fired for an exchange.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fired {
    pub(crate) rule: u64,
    pub(crate) effect: FaultEffect,
}

/// Why a rule was not added.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct BadRule(pub String);

/// The rules in force. With none, [`Faults::check`] costs one atomic load.
pub struct Faults {
    any: AtomicBool,
    rules: Mutex<Rules>,
    stall_max: Duration,
}

#[derive(Default)]
struct Rules {
    armed: Vec<Armed>,
    next_id: u64,
}

struct Armed {
    id: u64,
    rule: FaultRule,
    matched: u64,
    fired: u64,
    /// Only for probabilistic rules.
    rng: Option<StdRng>,
}

impl Armed {
    fn matches(&self, call: &Call) -> bool {
        let m = &self.rule.matching;
        let same = |want: &Option<String>, got: Option<&str>| {
            want.as_deref().is_none_or(|w| Some(w) == got)
        };
        let in_scope = match m.scope {
            Scope::Service => call.transport.is_some_and(|t| t != Transport::Admin),
            Scope::Admin => call.transport == Some(Transport::Admin),
            Scope::Worker => call.transport == Some(Transport::Admin) && call.worker,
        };
        in_scope
            && m.transport.is_none_or(|t| call.transport == Some(t))
            && same(
                &m.operation,
                call.operation.filter(|_| m.scope == Scope::Service),
            )
            && same(
                &m.route,
                call.operation.filter(|_| m.scope != Scope::Service),
            )
            && same(&m.version, call.version())
            && same(&m.access_key_id, call.account.as_deref())
    }

    /// Counts a matching exchange and says whether the rule fires on it.
    fn fires(&mut self) -> bool {
        self.matched += 1;
        let fire = match self.rule.when {
            FaultWhen::Always => true,
            FaultWhen::Next(n) => self.fired < n,
            FaultWhen::Every(k) => self.matched.is_multiple_of(k),
            FaultWhen::Probability { p, .. } => {
                self.rng.as_mut().is_some_and(|rng| rng.gen::<f64>() < p)
            }
        };
        if fire {
            self.fired += 1;
        }
        fire
    }

    fn view(&self) -> FaultView {
        FaultView {
            id: self.id,
            rule: self.rule.clone(),
            matched: self.matched,
            fired: self.fired,
        }
    }
}

/// Refuses rules that could never match, so a typing error shows when the rule is added.
fn check(rule: &FaultRule) -> Result<(), BadRule> {
    let m = &rule.matching;
    let bad = |s: String| Err(BadRule(s));
    if let Some(op) = &m.operation {
        if Operation::from_name(op).is_none() {
            return bad(format!("{op} is not an operation of the Requester API."));
        }
    }
    if let Some(r) = &m.route {
        if !route::NAMES.contains(&r.as_str()) {
            return bad(format!(
                "{r} is not an admin route; routes are named {}.",
                route::NAMES.join(", ")
            ));
        }
    }
    let service_only = m.operation.is_some()
        || m.version.is_some()
        || m.access_key_id.is_some()
        || m.transport.is_some_and(|t| t != Transport::Admin);
    match m.scope {
        Scope::Service if m.route.is_some() => bad("route needs scope admin or worker.".into()),
        Scope::Service if m.transport == Some(Transport::Admin) => {
            bad("transport admin needs scope admin or worker.".into())
        }
        Scope::Admin | Scope::Worker if service_only => {
            bad("operation, transport, version and access_key_id are for scope service.".into())
        }
        _ => match &rule.effect {
            FaultEffect::LegacyError { code, .. } if code.trim().is_empty() => {
                bad("legacy_error needs a code.".into())
            }
            _ => Ok(()),
        },
    }
}

impl Faults {
    pub fn new(stall_max: Duration) -> Faults {
        Faults {
            any: AtomicBool::new(false),
            rules: Mutex::new(Rules::default()),
            stall_max,
        }
    }

    /// Whether any rule is set: with none, an exchange need not even be described.
    pub(crate) fn any_set(&self) -> bool {
        self.any.load(Ordering::Acquire)
    }

    pub(crate) fn stall_max(&self) -> Duration {
        self.stall_max
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Rules> {
        // A panic elsewhere cannot leave the list half-changed: every change is one push or
        // retain. So a poisoned lock is still a good list.
        self.rules.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn changed(&self, rules: &Rules) {
        self.any.store(!rules.armed.is_empty(), Ordering::Release);
    }

    pub fn add(&self, rule: FaultRule) -> Result<FaultView, BadRule> {
        check(&rule)?;
        let mut rules = self.lock();
        rules.next_id += 1;
        let rng = match rule.when {
            FaultWhen::Probability { seed, .. } => Some(StdRng::seed_from_u64(seed)),
            _ => None,
        };
        let armed = Armed {
            id: rules.next_id,
            rule,
            matched: 0,
            fired: 0,
            rng,
        };
        let view = armed.view();
        rules.armed.push(armed);
        self.changed(&rules);
        Ok(view)
    }

    pub fn list(&self) -> Vec<FaultView> {
        self.lock().armed.iter().map(Armed::view).collect()
    }

    /// The rule removed, if there was one with this id.
    pub fn remove(&self, id: u64) -> Option<FaultView> {
        let mut rules = self.lock();
        let at = rules.armed.iter().position(|a| a.id == id)?;
        let gone = rules.armed.remove(at).view();
        self.changed(&rules);
        Some(gone)
    }

    /// Removes every rule: how many there were.
    pub fn clear(&self) -> usize {
        let mut rules = self.lock();
        let n = rules.armed.len();
        rules.armed.clear();
        self.changed(&rules);
        n
    }

    /// The first rule, in the order they were added, that matches `call` and fires. Every
    /// matching rule up to it counts the exchange.
    pub(crate) fn check(&self, call: &Call) -> Option<Fired> {
        if !self.any_set() {
            return None;
        }
        let mut rules = self.lock();
        rules
            .armed
            .iter_mut()
            .filter(|a| a.matches(call))
            .find_map(|a| {
                a.fires().then(|| Fired {
                    rule: a.id,
                    effect: a.rule.effect.clone(),
                })
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::admin::api::FaultMatch;

    fn rule(matching: FaultMatch, when: FaultWhen) -> FaultRule {
        FaultRule {
            matching,
            when,
            effect: FaultEffect::Throttle,
        }
    }

    fn rest(op: &'static str) -> Call {
        Call {
            transport: Some(Transport::Rest),
            operation: Some(op),
            account: Some("AKIA1".into()),
            ..Call::default()
        }
    }

    fn on(op: &str) -> FaultMatch {
        FaultMatch {
            operation: Some(op.into()),
            ..FaultMatch::default()
        }
    }

    #[test]
    fn next_n_fires_n_times_then_never() {
        let faults = Faults::new(DEFAULT_STALL_MAX);
        faults
            .add(rule(on("GetAccountBalance"), FaultWhen::Next(2)))
            .expect("rule");
        let fired: Vec<bool> = (0..4)
            .map(|_| faults.check(&rest("GetAccountBalance")).is_some())
            .collect();
        assert_eq!(fired, [true, true, false, false]);
        assert!(faults.check(&rest("GetHIT")).is_none());
        let view = &faults.list()[0];
        assert_eq!((view.matched, view.fired), (4, 2));
    }

    #[test]
    fn every_kth_fires_on_the_kth() {
        let faults = Faults::new(DEFAULT_STALL_MAX);
        faults
            .add(rule(FaultMatch::default(), FaultWhen::Every(3)))
            .expect("rule");
        let fired: Vec<bool> = (0..7)
            .map(|_| faults.check(&rest("GetHIT")).is_some())
            .collect();
        assert_eq!(fired, [false, false, true, false, false, true, false]);
    }

    #[test]
    fn a_seed_makes_the_same_calls_fire() {
        let run = |seed| {
            let faults = Faults::new(DEFAULT_STALL_MAX);
            let when = FaultWhen::Probability { p: 0.5, seed };
            faults.add(rule(FaultMatch::default(), when)).expect("rule");
            (0..64)
                .map(|_| faults.check(&rest("GetHIT")).is_some())
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
        assert!(run(7).iter().any(|f| *f) && run(7).iter().any(|f| !*f));
    }

    #[test]
    fn matching_looks_at_every_field_given() {
        let faults = Faults::new(DEFAULT_STALL_MAX);
        let matching = FaultMatch {
            transport: Some(Transport::Soap),
            access_key_id: Some("AKIA1".into()),
            ..FaultMatch::default()
        };
        faults.add(rule(matching, FaultWhen::Always)).expect("rule");
        assert!(faults.check(&rest("GetHIT")).is_none());
        let mut soap = rest("GetHIT");
        soap.transport = Some(Transport::Soap);
        assert!(faults.check(&soap).is_some());
        soap.account = Some("AKIA2".into());
        assert!(faults.check(&soap).is_none());
        // Service rules never meet the admin API.
        let admin = Call {
            transport: Some(Transport::Admin),
            operation: Some("Accept"),
            worker: true,
            ..Call::default()
        };
        faults.clear();
        faults
            .add(rule(FaultMatch::default(), FaultWhen::Always))
            .expect("rule");
        assert!(faults.check(&admin).is_none());
        let worker = FaultMatch {
            scope: Scope::Worker,
            route: Some("Accept".into()),
            ..FaultMatch::default()
        };
        // Ids are never reused, not even after a clear.
        let id = faults
            .add(rule(worker, FaultWhen::Always))
            .expect("rule")
            .id;
        assert_eq!(id, 3);
        assert_eq!(faults.check(&admin).map(|f| f.rule), Some(id));
    }

    #[test]
    fn rules_that_could_never_match_are_refused() {
        let faults = Faults::new(DEFAULT_STALL_MAX);
        assert!(faults.add(rule(on("GetHits"), FaultWhen::Always)).is_err());
        let admin_op = FaultMatch {
            scope: Scope::Admin,
            operation: Some("GetHIT".into()),
            ..FaultMatch::default()
        };
        assert!(faults.add(rule(admin_op, FaultWhen::Always)).is_err());
        let route = FaultMatch {
            route: Some("Nope".into()),
            scope: Scope::Admin,
            ..FaultMatch::default()
        };
        assert!(faults.add(rule(route, FaultWhen::Always)).is_err());
        assert!(faults.list().is_empty());
    }

    #[test]
    fn removing_the_last_rule_makes_checks_free_again() {
        let faults = Faults::new(DEFAULT_STALL_MAX);
        let id = faults
            .add(rule(FaultMatch::default(), FaultWhen::Always))
            .expect("rule")
            .id;
        assert!(faults.check(&rest("GetHIT")).is_some());
        assert_eq!(faults.remove(id).map(|v| v.fired), Some(1));
        assert!(faults.remove(id).is_none());
        assert!(!faults.any.load(Ordering::Acquire));
        assert!(faults.check(&rest("GetHIT")).is_none());
    }
}
