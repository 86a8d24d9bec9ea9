//! Content models as automata. A particle tree (sequences and choices nested to any depth, each
//! with its occurrence range) becomes a Thompson NFA: bounded repeats are unrolled into copies,
//! unbounded ones loop. Matching keeps the set of every state the children read so far can have
//! led to, so no greedy choice is ever made and later children can never be mis-assigned.
//! `xs:all` groups (each member at most once, in any order) are matched by a member set instead.

use super::model::{DeclId, Particle, Term, Wildcard};

#[derive(Debug, Clone)]
pub enum Label {
    Element(DeclId),
    Any(Wildcard),
}

/// Past this many states a content model is refused rather than unrolled.
const MAX_STATES: usize = 100_000;

#[derive(Debug, Clone)]
pub struct Automaton {
    labels: Vec<Label>,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    Nfa {
        start: usize,
        accept: usize,
        eps: Vec<Vec<usize>>,
        /// Per state: (label index, target state).
        edges: Vec<Vec<(usize, usize)>>,
    },
    All {
        /// Per member (parallel to `labels`): whether it must occur.
        required: Vec<bool>,
        /// Whether the whole group may be absent.
        optional: bool,
    },
}

struct Builder {
    labels: Vec<Label>,
    eps: Vec<Vec<usize>>,
    edges: Vec<Vec<(usize, usize)>>,
}

impl Builder {
    fn state(&mut self) -> Result<usize, String> {
        if self.eps.len() >= MAX_STATES {
            return Err(format!(
                "content model needs more than {MAX_STATES} automaton states"
            ));
        }
        self.eps.push(Vec::new());
        self.edges.push(Vec::new());
        Ok(self.eps.len() - 1)
    }

    fn particle(&mut self, p: &Particle, from: usize) -> Result<usize, String> {
        let mut cur = from;
        for _ in 0..p.min {
            cur = self.term(&p.term, cur)?;
        }
        match p.max {
            None => {
                let lp = self.state()?;
                self.eps[cur].push(lp);
                let e = self.term(&p.term, lp)?;
                self.eps[e].push(lp);
                Ok(lp)
            }
            Some(max) => {
                if max <= p.min {
                    return Ok(cur);
                }
                let end = self.state()?;
                for _ in p.min..max {
                    self.eps[cur].push(end);
                    cur = self.term(&p.term, cur)?;
                }
                self.eps[cur].push(end);
                Ok(end)
            }
        }
    }

    fn term(&mut self, t: &Term, from: usize) -> Result<usize, String> {
        match t {
            Term::Element(d) => self.edge(Label::Element(*d), from),
            Term::Any(w) => self.edge(Label::Any(w.clone()), from),
            Term::Sequence(ps) => {
                let mut cur = from;
                for p in ps {
                    cur = self.particle(p, cur)?;
                }
                Ok(cur)
            }
            Term::Choice(ps) => {
                let end = self.state()?;
                for p in ps {
                    // Each branch gets a fresh entry, so no branch's loop can reach another's.
                    let entry = self.state()?;
                    self.eps[from].push(entry);
                    let e = self.particle(p, entry)?;
                    self.eps[e].push(end);
                }
                Ok(end)
            }
            Term::All(_) => Err("xs:all may only be a complex type's whole content".into()),
        }
    }

    fn edge(&mut self, label: Label, from: usize) -> Result<usize, String> {
        let to = self.state()?;
        self.labels.push(label);
        self.edges[from].push((self.labels.len() - 1, to));
        Ok(to)
    }
}

impl Automaton {
    pub fn build(p: &Particle) -> Result<Automaton, String> {
        if let Term::All(members) = &p.term {
            let mut labels = Vec::new();
            let mut required = Vec::new();
            for m in members {
                match (&m.term, m.max) {
                    (Term::Element(_), Some(0)) => {}
                    (Term::Element(d), Some(1)) => {
                        labels.push(Label::Element(*d));
                        required.push(m.min > 0);
                    }
                    _ => {
                        return Err("xs:all members must be elements occurring at most once".into())
                    }
                }
            }
            return Ok(Automaton {
                labels,
                kind: Kind::All {
                    required,
                    optional: p.min == 0,
                },
            });
        }
        let mut b = Builder {
            labels: Vec::new(),
            eps: Vec::new(),
            edges: Vec::new(),
        };
        let start = b.state()?;
        let accept = b.particle(p, start)?;
        Ok(Automaton {
            labels: b.labels,
            kind: Kind::Nfa {
                start,
                accept,
                eps: b.eps,
                edges: b.edges,
            },
        })
    }

    pub fn matcher(&self) -> Matcher<'_> {
        let states = match &self.kind {
            Kind::Nfa { start, .. } => self.closure(vec![*start]),
            Kind::All { required, .. } => vec![0; required.len()],
        };
        Matcher { auto: self, states }
    }

    fn closure(&self, mut todo: Vec<usize>) -> Vec<usize> {
        let Kind::Nfa { eps, .. } = &self.kind else {
            return todo;
        };
        let mut seen = vec![false; eps.len()];
        let mut out = Vec::new();
        while let Some(s) = todo.pop() {
            if s >= seen.len() || seen[s] {
                continue;
            }
            seen[s] = true;
            out.push(s);
            todo.extend(eps[s].iter().copied());
        }
        out.sort_unstable();
        out
    }

    /// Every distinct label, in schema order.
    pub fn labels(&self) -> &[Label] {
        &self.labels
    }
}

/// What reading one child did.
pub enum Step<'a> {
    /// The child fits here, as this particle.
    Matched(&'a Label),
    /// The child does not fit here; `expected` lists what would have. If the child fits
    /// somewhere else in the model (wrong order, one too many), matching resumes from there
    /// and `resumed` is the particle it was taken as.
    Unexpected {
        expected: Vec<&'a Label>,
        resumed: Option<&'a Label>,
    },
}

pub struct Matcher<'a> {
    auto: &'a Automaton,
    /// NFA: the current state set (epsilon-closed). All: per member, how often it was seen.
    states: Vec<usize>,
}

impl<'a> Matcher<'a> {
    /// Reads one child; `fits` says whether the child is what a label describes.
    pub fn step(&mut self, fits: impl Fn(&Label) -> bool) -> Step<'a> {
        let auto = self.auto;
        match &auto.kind {
            Kind::Nfa { edges, .. } => {
                let pick = |from: &mut dyn Iterator<Item = usize>| {
                    let mut targets = Vec::new();
                    let mut chosen: Option<usize> = None;
                    for s in from {
                        for &(l, t) in &edges[s] {
                            if fits(&auto.labels[l]) {
                                // An element declaration wins over a wildcard for the same child.
                                let better = match chosen {
                                    None => true,
                                    Some(c) => {
                                        matches!(auto.labels[c], Label::Any(_))
                                            && matches!(auto.labels[l], Label::Element(_))
                                    }
                                };
                                if better {
                                    chosen = Some(l);
                                }
                                targets.push(t);
                            }
                        }
                    }
                    chosen.map(|c| (c, targets))
                };
                if let Some((l, targets)) = pick(&mut self.states.iter().copied()) {
                    self.states = auto.closure(targets);
                    return Step::Matched(&auto.labels[l]);
                }
                let expected = self.expected();
                let resumed = pick(&mut (0..edges.len())).map(|(l, targets)| {
                    self.states = auto.closure(targets);
                    &auto.labels[l]
                });
                Step::Unexpected { expected, resumed }
            }
            Kind::All { .. } => {
                let hit = auto.labels.iter().position(&fits);
                match hit {
                    Some(i) if self.states[i] == 0 => {
                        self.states[i] = 1;
                        Step::Matched(&auto.labels[i])
                    }
                    Some(i) => Step::Unexpected {
                        expected: self.expected(),
                        resumed: Some(&auto.labels[i]),
                    },
                    None => Step::Unexpected {
                        expected: self.expected(),
                        resumed: None,
                    },
                }
            }
        }
    }

    /// Whether the children read so far are a complete content.
    pub fn accepts(&self) -> bool {
        match &self.auto.kind {
            Kind::Nfa { accept, .. } => self.states.binary_search(accept).is_ok(),
            Kind::All { required, optional } => {
                let none = self.states.iter().all(|&n| n == 0);
                (*optional && none)
                    || required
                        .iter()
                        .zip(&self.states)
                        .all(|(&req, &n)| !req || n > 0)
            }
        }
    }

    /// The labels a next child could match, each once, in schema order.
    pub fn expected(&self) -> Vec<&'a Label> {
        let auto = self.auto;
        let mut idx: Vec<usize> = match &auto.kind {
            Kind::Nfa { edges, .. } => self
                .states
                .iter()
                .flat_map(|&s| edges[s].iter().map(|&(l, _)| l))
                .collect(),
            Kind::All { .. } => (0..auto.labels.len())
                .filter(|&i| self.states[i] == 0)
                .collect(),
        };
        idx.sort_unstable();
        idx.dedup();
        idx.into_iter().map(|l| &auto.labels[l]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn el(d: DeclId, min: u32, max: Option<u32>) -> Particle {
        Particle {
            min,
            max,
            term: Term::Element(d),
        }
    }

    fn group(term: Term, min: u32, max: Option<u32>) -> Particle {
        Particle { min, max, term }
    }

    /// A sequence that occurs exactly once.
    fn seq(items: Vec<Particle>) -> Particle {
        group(Term::Sequence(items), 1, Some(1))
    }

    /// An element that occurs exactly once.
    fn one(d: DeclId) -> Particle {
        el(d, 1, Some(1))
    }

    /// Runs the child names (declaration ids) through the model.
    fn accepts(p: &Particle, children: &[DeclId]) -> bool {
        let a = Automaton::build(p).unwrap();
        let mut m = a.matcher();
        for &c in children {
            match m.step(|l| matches!(l, Label::Element(d) if *d == c)) {
                Step::Matched(_) => {}
                Step::Unexpected { .. } => return false,
            }
        }
        m.accepts()
    }

    #[test]
    fn sequences_with_occurrence_ranges() {
        // (0, 1?, 2{2,3}, 3*)
        let p = seq(vec![
            one(0),
            el(1, 0, Some(1)),
            el(2, 2, Some(3)),
            el(3, 0, None),
        ]);
        assert!(accepts(&p, &[0, 2, 2]));
        assert!(accepts(&p, &[0, 1, 2, 2, 2, 3, 3, 3]));
        assert!(!accepts(&p, &[0, 2]));
        assert!(!accepts(&p, &[0, 2, 2, 2, 2]));
        assert!(!accepts(&p, &[1, 0, 2, 2]));
        assert!(!accepts(&p, &[]));
    }

    #[test]
    fn nested_choices_need_no_greedy_guess() {
        // ((0, 1) | (0, 2))+ : the first child alone cannot tell which branch it starts.
        let p = group(
            Term::Choice(vec![seq(vec![one(0), one(1)]), seq(vec![one(0), one(2)])]),
            1,
            None,
        );
        assert!(accepts(&p, &[0, 2, 0, 1, 0, 2]));
        assert!(!accepts(&p, &[0, 2, 0]));
        assert!(!accepts(&p, &[0, 0]));
        // (0*, 0) : a greedy matcher would eat the last 0 in the star.
        let q = seq(vec![el(0, 0, None), one(0), el(1, 0, Some(1))]);
        assert!(accepts(&q, &[0]));
        assert!(accepts(&q, &[0, 0, 0, 1]));
        assert!(!accepts(&q, &[1]));
    }

    #[test]
    fn answer_choice_of_sequences() {
        // QuestionFormAnswers' Answer: id, ( (sel*, other?) | free | (size, key) )
        let answer = Term::Choice(vec![
            seq(vec![el(1, 0, None), el(2, 0, Some(1))]),
            one(3),
            seq(vec![one(4), one(5)]),
        ]);
        let p = seq(vec![one(0), group(answer, 1, Some(1))]);
        assert!(accepts(&p, &[0]));
        assert!(accepts(&p, &[0, 1, 1, 2]));
        assert!(accepts(&p, &[0, 3]));
        assert!(accepts(&p, &[0, 4, 5]));
        assert!(!accepts(&p, &[0, 4]));
        assert!(!accepts(&p, &[0, 3, 1]));
        assert!(!accepts(&p, &[0, 2, 1]));
    }

    #[test]
    fn nested_repeats_of_nullable_groups() {
        // ((0?)*){2,} and (0{1,2}){2,3}
        let p = group(Term::Sequence(vec![el(0, 0, Some(1))]), 0, None);
        assert!(accepts(&p, &[]));
        assert!(accepts(&p, &[0, 0, 0]));
        let q = group(Term::Sequence(vec![el(0, 1, Some(2))]), 2, Some(3));
        assert!(!accepts(&q, &[0]));
        assert!(accepts(&q, &[0, 0]));
        assert!(accepts(&q, &[0, 0, 0, 0, 0, 0]));
        assert!(!accepts(&q, &[0, 0, 0, 0, 0, 0, 0]));
    }

    #[test]
    fn bounded_max_of_a_hundred() {
        let p = el(0, 1, Some(100));
        assert!(accepts(&p, &[0; 100]));
        assert!(!accepts(&p, &[0; 101]));
    }

    #[test]
    fn wrong_order_resumes_and_reports_expectations() {
        let p = seq(vec![one(0), one(1), one(2)]);
        let a = Automaton::build(&p).unwrap();
        let mut m = a.matcher();
        assert!(matches!(
            m.step(|l| matches!(l, Label::Element(0))),
            Step::Matched(_)
        ));
        match m.step(|l| matches!(l, Label::Element(2))) {
            Step::Unexpected { expected, resumed } => {
                assert!(matches!(expected[..], [Label::Element(1)]));
                assert!(matches!(resumed, Some(Label::Element(2))));
            }
            Step::Matched(_) => panic!("2 cannot follow 0"),
        }
        assert!(m.accepts());
    }

    #[test]
    fn all_groups() {
        let p = group(Term::All(vec![one(0), el(1, 0, Some(1))]), 1, Some(1));
        assert!(accepts(&p, &[1, 0]));
        assert!(accepts(&p, &[0]));
        assert!(!accepts(&p, &[1]));
        assert!(!accepts(&p, &[0, 0]));
    }
}
