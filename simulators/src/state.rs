//! The shared state of a simulator instance.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use crate::clock::Clock;
use crate::config::SimConfig;
use crate::diagnostic::model::{Agent, Dossier};
use crate::diagnostic::overlay::Overlay;
use crate::faults::plan::FaultPlan;
use crate::platform::rate_limit::RateLimiter;
use crate::population::identifiers::Keys;
use crate::population::nir_codec::NirCodec;
use crate::population::person::{self, Person};
use crate::population::rng::Draw;

/// Everything a request needs. Cheap to clone.
#[derive(Debug, Clone)]
pub struct SimState(pub Arc<Inner>);

#[derive(Debug)]
pub struct Inner {
    pub config: SimConfig,
    pub clock: Arc<dyn Clock>,
    pub keys: Keys,
    pub codec: NirCodec,
    pub overlay: Overlay,
    pub faults: RwLock<FaultPlan>,
    pub limiter: RateLimiter,
    pub verified: crate::platform::access::VerifiedTokens,
    /// Jetons usager already verified: the person, the expiry, the UUID of their idRci.
    pub jetons: crate::platform::verified::Verified<crate::population::identifiers::Jeton>,
    pub checker: contracts::Checker,
    calls: AtomicU64,
}

impl std::ops::Deref for SimState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// Why a state could not be built.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("the embedded contracts do not load: {0}")]
    Contracts(#[from] contracts::ContractsError),
}

impl SimState {
    /// A state from a validated configuration. `instance_secret` keys the identifiers (tests
    /// pass a fixed one; `vigie simulate` a random one unless told otherwise).
    pub fn new(
        config: SimConfig,
        clock: Arc<dyn Clock>,
        instance_secret: &[u8],
    ) -> Result<SimState, StateError> {
        let checker = contracts::Checker::active()?;
        let faults = RwLock::new(config.faults.clone());
        Ok(SimState(Arc::new(Inner {
            keys: Keys::new(config.seed, instance_secret),
            codec: NirCodec::new(config.seed, config.people),
            overlay: Overlay::with_budget(config.written_budget_bytes),
            faults,
            limiter: RateLimiter::default(),
            verified: crate::platform::access::VerifiedTokens::default(),
            jetons: crate::platform::verified::Verified::default(),
            checker,
            calls: AtomicU64::new(0),
            clock,
            config,
        })))
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    pub fn person(&self, index: u64) -> Person {
        self.person_at(index, self.now_ms())
    }

    /// The person of an index as of `now_ms` (a call's admission time).
    pub fn person_at(&self, index: u64, now_ms: i64) -> Person {
        person::derive(&self.codec, self.config.seed, index, person::today(now_ms))
    }

    /// The dossier as it is now: written, or derived.
    pub fn dossier(&self, index: u64) -> Option<Dossier> {
        self.held_dossier(index).map(|held| match held {
            Held::Written(d) => *d,
            Held::Drawn(d) => d.dossier(self.id_metier(index)),
        })
    }

    /// The dossier as it is held now: written (the model), or drawn only (never written).
    pub fn held_dossier(&self, index: u64) -> Option<Held> {
        self.held_dossier_at(index, self.now_ms())
    }

    /// [`SimState::held_dossier`] as of `now_ms` (a call's admission time).
    pub fn held_dossier_at(&self, index: u64, now_ms: i64) -> Option<Held> {
        if let Some(d) = self.overlay.get(index) {
            return Some(Held::Written(Box::new(d)));
        }
        let seed = self.config.seed;
        let long_list = self.config.realism.long_list(seed, index);
        person::traits(seed, index, person::today(now_ms))
            .has_dossier
            .then(|| {
                Held::Drawn(crate::diagnostic::generated::Drawn::draw(
                    seed, index, now_ms, long_list,
                ))
            })
    }

    /// The draws of a person's dossier before any write, as of today.
    pub fn drawn_dossier(&self, index: u64) -> crate::diagnostic::generated::Drawn {
        let seed = self.config.seed;
        let long_list = self.config.realism.long_list(seed, index);
        crate::diagnostic::generated::Drawn::draw(seed, index, self.now_ms(), long_list)
    }

    /// The encrypted métier ids of a person's diagnostics, by rank.
    pub fn id_metier(&self, index: u64) -> impl Fn(usize) -> String + use<> {
        crate::api::profile::views::id_metier(&self.keys, index)
    }

    /// Applies a write to a person's dossier: the dossier as it is now (written, derived, or
    /// empty for someone never explored), changed only if the change succeeds.
    pub fn write_dossier<T>(
        &self,
        index: u64,
        stamp: &crate::diagnostic::writes::Stamp,
        change: impl FnOnce(&mut Dossier) -> Result<T, crate::diagnostic::writes::Refused>,
    ) -> Result<T, crate::diagnostic::writes::Refused> {
        let base = || {
            self.dossier(index)
                .unwrap_or_else(|| Dossier::empty(&stamp.agent, stamp.now_ms))
        };
        self.overlay.update(index, base, change)
    }

    pub fn derived_dossier(&self, index: u64) -> Dossier {
        self.drawn_dossier(index).dossier(self.id_metier(index))
    }

    /// A fresh draw for a decision about one call.
    pub fn call_draw(&self, topic: &str) -> Draw {
        let n = self.calls.fetch_add(1, Ordering::Relaxed);
        Draw::new(self.config.seed, n, topic)
    }

    /// A new diagnostic id.
    pub fn new_uuid(&self) -> String {
        self.call_draw("uuid").uuid()
    }

    pub fn fault_plan(&self) -> FaultPlan {
        match self.faults.read() {
            Ok(p) => p.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// What the fault plan does to one call of an API version at `now_ms`.
    pub fn fault_decision(
        &self,
        api: &str,
        major: &str,
        era: contracts::catalogue::Era,
        now_ms: i64,
    ) -> crate::faults::plan::Decision {
        let plan = match self.faults.read() {
            Ok(plan) => plan,
            Err(p) => p.into_inner(),
        };
        if plan.rules.is_empty() {
            return crate::faults::plan::Decision::default();
        }
        plan.decide(api, major, era, now_ms, &mut self.call_draw("faults"))
    }

    pub fn set_faults(&self, plan: FaultPlan) {
        match self.faults.write() {
            Ok(mut p) => *p = plan,
            Err(poisoned) => *poisoned.into_inner() = plan,
        }
    }

    /// The agent of a write, from the `pa-*` headers (v4) or the body (v1).
    pub fn agent(&self, nom: &str, prenom: &str, id: &str) -> Agent {
        Agent::new(crate::diagnostic::model::AgentFields {
            nom: nom.into(),
            prenom: prenom.into(),
            structure: "Conseil départemental (partenaire)".into(),
            kind: "AGENT".into(),
            id: id.into(),
        })
    }
}

/// A dossier as held: written to (the model), or drawn from the seed only.
#[derive(Debug)]
pub enum Held {
    Written(Box<Dossier>),
    Drawn(crate::diagnostic::generated::Drawn),
}
