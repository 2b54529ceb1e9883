//! The pack's "Varför skiljer sig kostnaden?": each area the spec names,
//! its cost chains split for the reviewed municipality against the peer
//! group the spec gives it, in the spec's years.

use anyhow::Result;

use super::super::explain::{explain_costs, Asked};
use super::super::Context;
use crate::document::explain::Explanation;
use crate::model::lang::Lang;
use crate::render::html::waterfalls;
use crate::resolve::spec::{Spec, Subject};

/// Every area of `explain = …`, split and drawn.
pub(super) fn explanations(spec: &Spec, lang: Lang, cx: &Context) -> Result<Vec<Explanation>> {
    // The spec is checked: only a municipality's review names areas.
    let Subject::Municipality { municipality, .. } = &spec.subject else {
        return Ok(Vec::new());
    };
    spec.explain
        .iter()
        .map(|area| {
            let asked = Asked {
                municipality: &municipality.id,
                area: &area.area,
                peers: &area.peers,
                years: spec.years.clone(),
                country: false,
            };
            let explained = explain_costs(&asked, cx)?;
            Ok(Explanation {
                charts: waterfalls(&explained, lang)?,
                explained,
            })
        })
        .collect()
}
