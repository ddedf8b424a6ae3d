//! `vigie simulate`: the simulators on 127.0.0.1, with zero configuration, and how to use them.

use std::io::Write;
use std::sync::Arc;

use anyhow::Context;
use domain::clock::{Clock, SystemClock};
use simulators::config::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};
use simulators::{SimConfig, SimState};

use crate::Outcome;
use crate::cli::SimulateArgs;

/// The configuration a command line asks for.
pub fn config(
    config: Option<&std::path::Path>,
    people: Option<u64>,
    seed: Option<u64>,
) -> anyhow::Result<SimConfig> {
    super::embedded::config(config, people, seed, SystemClock.now_ms())
}

pub fn run(args: &SimulateArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let mut config = config(args.config.as_deref(), args.people, args.seed)?;
    if let Some(r) = args.realism {
        config.realism = match r {
            crate::cli::RealismChoice::Realistic => simulators::Realism::Realistic,
            crate::cli::RealismChoice::Minimal => simulators::Realism::Minimal,
        };
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(serve(args, config, out))
}

async fn serve(
    args: &SimulateArgs,
    config: SimConfig,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let listener = tokio::net::TcpListener::bind((args.bind, args.port))
        .await
        .with_context(|| {
            format!(
                "cannot listen on {}:{}: choose another --port (0 for any free port)",
                args.bind, args.port
            )
        })?;
    let addr = listener.local_addr()?;
    let admin = config.admin_token.is_some();
    let state = SimState::new(config, Arc::new(SystemClock), b"vigie-simulators")?;
    let admin_listener = match (admin, args.admin_port) {
        (true, port) => {
            // Next to the API port when one was asked for; a free one when the API's was
            // left to the system (`--port 0`): the port after it may well be taken.
            let port = port.unwrap_or(if args.port == 0 {
                0
            } else {
                addr.port().wrapping_add(1)
            });
            Some(tokio::net::TcpListener::bind(("127.0.0.1", port)).await.with_context(|| format!("cannot listen on 127.0.0.1:{port} for the admin endpoint: choose another --admin-port"))?)
        }
        (false, Some(_)) => anyhow::bail!(
            "--admin-port needs an admin token: export VIGIE_SIM_ADMIN_TOKEN (or set admin_token_env in the config)"
        ),
        (false, None) => None,
    };
    banner(
        out,
        &state,
        addr,
        admin_listener.as_ref().and_then(|l| l.local_addr().ok()),
    )?;
    out.flush()?;
    if let Some(l) = admin_listener {
        let app = simulators::admin_app(state.clone());
        tokio::spawn(simulators::serve::serve(
            l,
            app,
            simulators::serve::ConnectionLimits::default(),
            Default::default(),
            std::future::pending(),
        ));
    }
    let app = simulators::app(state);
    let stop = {
        let limit = args.for_seconds;
        async move {
            match limit {
                Some(s) => tokio::time::sleep(std::time::Duration::from_secs(s)).await,
                None => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    };
    simulators::serve::serve(
        listener,
        app,
        simulators::serve::ConnectionLimits::default(),
        Default::default(),
        stop,
    )
    .await
    .context("serving the simulators")?;
    writeln!(out, "simulators stopped")?;
    Ok(Outcome::Clean)
}

fn banner(
    out: &mut dyn Write,
    s: &SimState,
    addr: std::net::SocketAddr,
    admin: Option<std::net::SocketAddr>,
) -> std::io::Result<()> {
    let base = format!("http://{addr}");
    let example = simulators::dataset::build(s);
    let found = example.cases.iter().find(|c| c.name == "S001-certifie");
    writeln!(
        out,
        "Vigie simulators: the five APIs in versions n-1 and n, {} synthetic people (seed {}).",
        s.config.people, s.config.seed
    )?;
    writeln!(
        out,
        "Listening on {base}   OpenAPI documents: {base}/openapi"
    )?;
    writeln!(
        out,
        "Demo client: client_id={DEMO_CLIENT_ID} client_secret={DEMO_CLIENT_SECRET} (a public test credential; configured clients are never printed)"
    )?;
    match admin {
        Some(a) => writeln!(
            out,
            "Admin (faults at run time): http://{a}/admin/faults with the admin token"
        )?,
        None => writeln!(
            out,
            "Admin endpoint off: export VIGIE_SIM_ADMIN_TOKEN to change faults at run time"
        )?,
    }
    writeln!(
        out,
        "\n1. A token for version n (realm /agent) of Recherche usager:"
    )?;
    writeln!(
        out,
        "   TOKEN=$(curl -s -X POST '{base}/connexion/oauth2/access_token?realm=%2Fagent' -H 'Content-Type: application/x-www-form-urlencoded' \\"
    )?;
    writeln!(
        out,
        "     -d 'grant_type=client_credentials&client_id={DEMO_CLIENT_ID}&client_secret={DEMO_CLIENT_SECRET}&scope=api_rechercher-usagerv2 rechercheusager profil_accedant' | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')"
    )?;
    if let Some(c) = found {
        writeln!(out, "2. Search a synthetic person (S001):")?;
        writeln!(
            out,
            "   curl -s -X POST {base}/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir -H \"Authorization: Bearer $TOKEN\" \\"
        )?;
        writeln!(
            out,
            "     -H 'pa-nom-agent: Martin' -H 'pa-prenom-agent: Henri' -H 'pa-identifiant-agent: BATCH' -H 'Content-Type: application/json' \\"
        )?;
        writeln!(
            out,
            "     -d '{{\"nir\": \"{}\", \"dateNaissance\": \"{}\"}}'",
            c.nir, c.date_naissance
        )?;
    }
    writeln!(
        out,
        "3. With its jetonUsager, call each API of version n (token with that API's scopes):"
    )?;
    for api in contracts::catalogue::business_apis() {
        for v in &api.versions {
            let ops = s
                .checker
                .store()
                .raw(&api.id, &v.major)
                .map(|l| l.manifest.operations.len())
                .unwrap_or(0);
            let generic = contracts::ContractStore::embedded()
                .is_ok_and(|e| e.raw(&api.id, &v.major).is_none());
            writeln!(
                out,
                "   {:<20} {:<4} {:<4} {base}{}  ({ops} operations; scopes: {}; realm {}){}",
                api.id,
                v.major,
                if v.aliases.is_empty() {
                    "-".to_string()
                } else {
                    v.aliases.join(",")
                },
                v.base_path,
                v.scopes.join(" "),
                v.realm,
                if generic {
                    "  [from --contracts: answered from its contract, stateless]"
                } else {
                    ""
                }
            )?;
        }
    }
    writeln!(
        out,
        "   Version n: headers pa-nom-agent, pa-prenom-agent, pa-identifiant-agent and ft-jeton-usager."
    )?;
    writeln!(
        out,
        "   Version n-1: realm /partenaire, the identifiant of Recherche usager v1 in the path, URL-encoded (# → %23)."
    )?;
    writeln!(out, "Cases and inputs: vigie dataset   Stop: Ctrl-C")
}
