//! The `turkstand` command: run the service, or act as a simulated worker against a running one.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use turkstand::client::{authority, Connection};
use turkstand::clock::Clock;
use turkstand::config::{Account, Config, DEFAULT_BALANCE, DEFAULT_MAX_BODY_BYTES};
use turkstand::handlers::{ids, Service, CLOCK_KEY};
use turkstand::server::admin::api::{
    route, Accept, Advance, Answered, Balance, FaultEffect, FaultMatch, FaultRule, FaultWhen,
    FileUpload, JournalPage, JournalQuery, LocaleView, Payload, RequestQualification, Route, Scope,
    SetClock, Submit, Transport, WorkerProperties,
};
use turkstand::server::guard::TOKEN_HEADER;
use turkstand::server::{faults, journal, serve, Access, App, Faults, Journal};
use turkstand::store::{Store, StoreError};

#[derive(Parser)]
#[command(
    name = "turkstand",
    version,
    about = "A local stand-in for the legacy Mechanical Turk Requester API"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the service.
    Serve(ServeArgs),
    /// Read or move a running server's clock (moving needs `serve --clock manual`).
    Clock {
        /// The server's URL.
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        server: String,
        /// Move the clock forward (or, negative, back) by this many seconds.
        #[arg(long, allow_hyphen_values = true, conflicts_with = "set")]
        advance: Option<i64>,
        /// Move the clock to this time, e.g. 2026-01-01T00:00:00Z.
        #[arg(long)]
        set: Option<String>,
    },
    /// Check QuestionForm, QuestionFormAnswers, AnswerKey, ExternalQuestion, HTMLQuestion and
    /// SOAP documents against the bundled schemas (exit 0 valid, 1 invalid, 2 unusable).
    Validate(turkstand::schema::cli::ValidateArgs),
    /// Act as a simulated worker against a running server.
    Worker {
        /// The server's URL.
        #[arg(long, default_value = "http://127.0.0.1:8080", global = true)]
        server: String,
        #[command(subcommand)]
        action: WorkerAction,
    },
    /// List, add, remove or clear a running server's fault rules.
    Faults {
        /// The server's URL.
        #[arg(long, default_value = "http://127.0.0.1:8080", global = true)]
        server: String,
        #[command(subcommand)]
        action: FaultsAction,
    },
    /// Read a running server's journal of exchanges, or follow it.
    Journal {
        /// The server's URL.
        #[arg(long, default_value = "http://127.0.0.1:8080", global = true)]
        server: String,
        #[command(subcommand)]
        action: JournalAction,
    },
}

#[derive(Subcommand)]
enum FaultsAction {
    /// The rules in force, with how often each matched and fired.
    List,
    /// Add a rule; prints it with its id. Without --next, --every or --probability it fires on
    /// every matching call.
    Add(Box<AddFaultArgs>),
    /// Remove the rule with this id.
    Remove { id: u64 },
    /// Remove every rule.
    Clear,
}

#[derive(clap::Args)]
struct AddFaultArgs {
    /// The whole rule as JSON, as `POST /_turkstand/faults` takes it; no other option then.
    #[arg(long, conflicts_with_all = ["effect", "operation", "route"])]
    json: Option<String>,
    #[arg(long, value_enum, required_unless_present = "json")]
    effect: Option<EffectKind>,
    /// Milliseconds, for `--effect delay`.
    #[arg(long)]
    ms: Option<u64>,
    /// The legacy error code, for `--effect legacy-error`.
    #[arg(long)]
    code: Option<String>,
    /// The error message, for `--effect legacy-error`.
    #[arg(long)]
    message: Option<String>,
    #[arg(long, value_enum, default_value = "service")]
    scope: ScopeArg,
    #[arg(long)]
    operation: Option<String>,
    #[arg(long, value_enum)]
    transport: Option<TransportArg>,
    #[arg(long)]
    version: Option<String>,
    #[arg(long)]
    access_key_id: Option<String>,
    /// An admin route's name (`Accept`), with --scope admin or worker.
    #[arg(long)]
    route: Option<String>,
    /// Fire on the next N matching calls only.
    #[arg(long, conflicts_with_all = ["every", "probability"])]
    next: Option<u64>,
    /// Fire on every Kth matching call.
    #[arg(long, conflicts_with = "probability")]
    every: Option<u64>,
    /// Fire with this probability, drawn from a generator seeded with --seed.
    #[arg(long)]
    probability: Option<f64>,
    #[arg(long, requires = "probability", default_value_t = 0)]
    seed: u64,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum EffectKind {
    Throttle,
    InternalError,
    Delay,
    Reset,
    Stall,
    LostAnswer,
    LegacyError,
    Shutdown,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ScopeArg {
    Service,
    Admin,
    Worker,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum TransportArg {
    Soap,
    Rest,
}

#[derive(Subcommand)]
enum JournalAction {
    /// Print the entries kept that the filters select, one JSON object a line.
    Show(JournalFilters),
    /// Follow the journal: print each new exchange as it is recorded.
    Tail {
        #[command(flatten)]
        filters: JournalFilters,
        /// Whole entries as JSON lines instead of one summary line each.
        #[arg(long)]
        json: bool,
    },
}

#[derive(clap::Args)]
struct JournalFilters {
    #[arg(long)]
    operation: Option<String>,
    #[arg(long)]
    account: Option<String>,
    #[arg(long)]
    status: Option<u16>,
    /// Entries that arrived at or after this xs:dateTime.
    #[arg(long)]
    since: Option<String>,
    /// Entries that arrived before this xs:dateTime.
    #[arg(long)]
    until: Option<String>,
}

impl JournalFilters {
    fn query(self) -> JournalQuery {
        JournalQuery {
            operation: self.operation,
            account: self.account,
            status: self.status,
            since: self.since,
            until: self.until,
            ..JournalQuery::default()
        }
    }
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: String,
    /// Database file; `:memory:` keeps nothing after exit.
    #[arg(long, default_value = "turkstand.db")]
    data: String,
    /// TOML file with accounts and limits.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Largest request body accepted, in bytes.
    #[arg(long)]
    max_body_bytes: Option<usize>,
    /// `system` follows real time; `manual` stands still until moved through the admin API
    /// (`/_turkstand/clock/advance`, `/_turkstand/clock/set`) and keeps its time across restarts.
    #[arg(long, value_enum, default_value = "system")]
    clock: ClockMode,
    /// Also append every exchange to this file, one JSON object a line.
    #[arg(long, value_name = "FILE")]
    journal: Option<PathBuf>,
    /// How many exchanges the journal keeps in memory.
    #[arg(long)]
    journal_size: Option<usize>,
    /// The longest a stall fault holds a connection, in milliseconds.
    #[arg(long)]
    stall_max_ms: Option<u64>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ClockMode {
    System,
    Manual,
}

#[derive(Subcommand)]
enum WorkerAction {
    /// Accept a HIT; prints the new AssignmentId.
    Accept {
        #[arg(long)]
        worker: String,
        #[arg(long)]
        hit: String,
    },
    /// Submit an accepted assignment with free-text answers (`--answer q1=text`) and files
    /// (`--file q2=photo.jpg`), or a QuestionFormAnswers file (`--answers-file F`).
    Submit {
        #[arg(long)]
        assignment: String,
        #[arg(long = "answer", value_name = "QUESTION=TEXT")]
        answers: Vec<String>,
        /// A file for a FileUploadAnswer question.
        #[arg(long = "file", value_name = "QUESTION=PATH")]
        files: Vec<String>,
        #[arg(long)]
        answers_file: Option<PathBuf>,
    },
    /// Give an accepted assignment back; its slot becomes available again.
    Return {
        #[arg(long)]
        assignment: String,
    },
    /// Show a HIT's question and terms without accepting it.
    Preview {
        #[arg(long)]
        worker: String,
        #[arg(long)]
        hit: String,
    },
    /// List the HITs the worker may accept now.
    ListHits {
        #[arg(long)]
        worker: String,
    },
    /// Show the worker's properties (its locale).
    Properties {
        #[arg(long)]
        worker: String,
    },
    /// Set the worker's locale (Worker_Locale): an ISO 3166 country and optional subdivision.
    SetLocale {
        #[arg(long)]
        worker: String,
        #[arg(long)]
        country: String,
        #[arg(long)]
        subdivision: Option<String>,
    },
    /// Request a qualification; prints the QualificationRequestId.
    RequestQualification {
        #[arg(long)]
        worker: String,
        #[arg(long)]
        qualification_type: String,
    },
    /// Answer the test of a qualification request (`--answer q1=text` per question, or a
    /// QuestionFormAnswers file); prints the request's status and any granted value.
    AnswerTest {
        #[arg(long)]
        request: String,
        #[arg(long = "answer", value_name = "QUESTION=TEXT")]
        answers: Vec<String>,
        #[arg(long)]
        answers_file: Option<PathBuf>,
    },
    /// Set a requester's available balance.
    SetBalance {
        #[arg(long)]
        access_key_id: String,
        #[arg(long)]
        balance: String,
    },
    /// Clear all data on the server.
    Reset,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TURKSTAND_LOG")
                .unwrap_or_else(|_| "turkstand=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("turkstand: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = match cli.command {
        Command::Validate(args) => return turkstand::schema::cli::run(&args),
        Command::Serve(args) => runtime.block_on(run_server(args)),
        Command::Worker { server, action } => runtime.block_on(run_worker(&server, action)),
        Command::Clock {
            server,
            advance,
            set,
        } => runtime.block_on(run_clock(&server, advance, set)),
        Command::Faults { server, action } => runtime.block_on(run_faults(&server, action)),
        Command::Journal { server, action } => runtime.block_on(run_journal(&server, action)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("turkstand: {e}");
            ExitCode::FAILURE
        }
    }
}

/// With no configured account, one development account is kept in the store, so that its keys
/// stay valid across restarts on the same data.
fn development_account(store: &Store) -> Result<Account, StoreError> {
    store.write(|tx| {
        let (id, secret) = match tx.meta("dev_account")? {
            Some(v) if v.contains(':') => {
                let (id, secret) = v.split_once(':').unwrap_or_default();
                (id.to_string(), secret.to_string())
            }
            _ => {
                let id = format!("AKIA{}", &ids::random()[..16]);
                let secret = ids::random() + &ids::random()[..10];
                tx.set_meta("dev_account", &format!("{id}:{secret}"))?;
                (id, secret)
            }
        };
        Ok(Account {
            access_key_id: id,
            secret_access_key: secret,
            balance: DEFAULT_BALANCE,
        })
    })
}

async fn run_server(args: ServeArgs) -> Result<(), String> {
    let ServeArgs {
        listen,
        data,
        config,
        max_body_bytes: max_body,
        clock,
        journal: journal_file,
        journal_size,
        stall_max_ms,
    } = args;
    let mut cfg = match &config {
        Some(path) => Config::from_file(path).map_err(|e| e.to_string())?,
        None => Config::default(),
    };
    cfg.add_env_account(|k| std::env::var(k).ok())
        .map_err(|e| e.to_string())?;
    let data = cfg
        .data
        .clone()
        .filter(|_| data == "turkstand.db")
        .unwrap_or(data);
    let listen = cfg
        .listen
        .clone()
        .filter(|_| listen == "127.0.0.1:8080")
        .unwrap_or(listen);
    let store = Store::open(&data).map_err(|e| format!("cannot open the database {data}: {e}"))?;
    if cfg.accounts.is_empty() {
        let account = development_account(&store).map_err(|e| e.to_string())?;
        println!(
            "development account: AWSAccessKeyId={} AWSSecretAccessKey={}",
            account.access_key_id, account.secret_access_key
        );
        cfg.accounts.push(account);
    }
    let clock = match clock {
        ClockMode::System => Clock::system(),
        ClockMode::Manual => {
            // A manual clock resumes where it stood when the server last stopped.
            let kept = store
                .read(|tx| tx.meta(CLOCK_KEY))
                .map_err(|e| e.to_string())?;
            let start = kept
                .and_then(|v| v.parse::<i64>().ok())
                .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
                .unwrap_or_else(Clock::wall);
            Clock::manual(start)
        }
    };
    let service = Service::new(store, clock, cfg.accounts).map_err(|e| e.to_string())?;
    let addr: SocketAddr = listen
        .parse()
        .map_err(|_| format!("--listen {listen} is not an address such as 127.0.0.1:8080"))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    // URLs the service hands out (GetFileUploadURL) must reach this listener; a wildcard
    // address is reached through the loopback one.
    let mut public = local;
    if public.ip().is_unspecified() {
        public.set_ip(if public.is_ipv4() {
            std::net::Ipv4Addr::LOCALHOST.into()
        } else {
            std::net::Ipv6Addr::LOCALHOST.into()
        });
    }
    service
        .set_public_base_url(&format!("http://{public}"))
        .map_err(|e| e.to_string())?;
    let access = admin_access(local, cfg.admin_token.clone());
    let mut journal = Journal::new(
        journal_size
            .or(cfg.journal.size)
            .unwrap_or(journal::DEFAULT_JOURNAL_SIZE),
        &service.accounts,
    );
    if let Some(file) = journal_file.or_else(|| cfg.journal.file.clone().map(PathBuf::from)) {
        journal = journal
            .append_to(&file)
            .map_err(|e| format!("cannot open the journal file {}: {e}", file.display()))?;
    }
    let stall_max = stall_max_ms
        .or(cfg.faults.stall_max_ms)
        .map_or(faults::DEFAULT_STALL_MAX, std::time::Duration::from_millis);
    let faults = Faults::new(stall_max);
    for (i, rule) in cfg.faults.rules.into_iter().enumerate() {
        rule.try_into::<FaultRule>()
            .map_err(|e| e.to_string())
            .and_then(|rule| faults.add(rule).map_err(|e| e.to_string()))
            .map_err(|e| format!("fault rule {} of the config: {e}", i + 1))?;
    }
    let app = Arc::new(App {
        service: Arc::new(service),
        max_body_bytes: max_body
            .or(cfg.max_body_bytes)
            .unwrap_or(DEFAULT_MAX_BODY_BYTES),
        limits: cfg.xml,
        connections: cfg.connections,
        access,
        faults,
        journal,
    });
    // Time-driven changes also happen when no request comes in.
    let ticker = app.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(1));
        loop {
            every.tick().await;
            if let Err(e) = ticker.service.settle_due_changes() {
                tracing::warn!(error = %e, "settling time-driven changes failed");
            }
        }
    });
    if let Some(token) = &app.access.token {
        println!(
            "admin token: {token} (send it as the {TOKEN_HEADER} header, or open a page once \
             with ?token={token} to set the cookie; `turkstand worker` reads \
             TURKSTAND_ADMIN_TOKEN)"
        );
    }
    println!("turkstand listening on http://{local}");
    use std::io::Write;
    let _ = std::io::stdout().flush();
    tokio::select! {
        r = serve(listener, app) => r.map_err(|e| e.to_string()),
        _ = tokio::signal::ctrl_c() => Ok(()),
    }
}

/// The answers of `--answers-file` (a QuestionFormAnswers document), or of `--answer
/// QUESTION=TEXT` and `--file QUESTION=PATH`.
fn answered(
    answers: Vec<String>,
    files: Vec<String>,
    answers_file: Option<PathBuf>,
) -> Result<Answered<Submit>, String> {
    if let Some(f) = answers_file {
        return std::fs::read_to_string(&f)
            .map(Answered::Document)
            .map_err(|e| format!("cannot read {}: {e}", f.display()));
    }
    let mut form = Submit::default();
    for a in answers {
        let (q, text) = a
            .split_once('=')
            .ok_or_else(|| format!("--answer {a} is not QUESTION=TEXT"))?;
        form.answers.insert(q.to_string(), text.into());
    }
    for f in files {
        let (q, file) = f
            .split_once('=')
            .ok_or_else(|| format!("--file {f} is not QUESTION=PATH"))?;
        let bytes = std::fs::read(file).map_err(|e| format!("cannot read {file}: {e}"))?;
        let name = std::path::Path::new(file)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| file.to_string());
        use base64::Engine;
        let upload = FileUpload {
            name,
            content_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        };
        form.files.insert(q.to_string(), upload);
    }
    Ok(Answered::Json(form))
}

async fn run_worker(server: &str, action: WorkerAction) -> Result<(), String> {
    match action {
        WorkerAction::Accept { worker, hit } => {
            call::<route::Accept, _>(server, [&worker], &Accept { hit_id: hit }).await
        }
        WorkerAction::Submit {
            assignment,
            answers,
            files,
            answers_file,
        } => {
            let answers = answered(answers, files, answers_file)?;
            call::<route::Submit, _>(server, [&assignment], &answers).await
        }
        WorkerAction::Return { assignment } => {
            call::<route::Return, _>(server, [&assignment], &()).await
        }
        WorkerAction::Preview { worker, hit } => {
            call::<route::Preview, _>(server, [&worker, &hit], &()).await
        }
        WorkerAction::ListHits { worker } => {
            call::<route::ListHits, _>(server, [&worker], &()).await
        }
        WorkerAction::Properties { worker } => {
            call::<route::GetProperties, _>(server, [&worker], &()).await
        }
        WorkerAction::SetLocale {
            worker,
            country,
            subdivision,
        } => {
            let properties = WorkerProperties {
                locale: Some(LocaleView {
                    country,
                    subdivision,
                }),
                ..WorkerProperties::default()
            };
            call::<route::SetProperties, _>(server, [&worker], &properties).await
        }
        WorkerAction::RequestQualification {
            worker,
            qualification_type,
        } => {
            let request = RequestQualification {
                qualification_type_id: qualification_type,
            };
            call::<route::RequestQualification, _>(server, [&worker], &request).await
        }
        WorkerAction::SetBalance {
            access_key_id,
            balance,
        } => {
            let request = Balance {
                available_balance: balance.into(),
            };
            call::<route::SetBalance, _>(server, [&access_key_id], &request).await
        }
        WorkerAction::AnswerTest {
            request,
            answers,
            answers_file,
        } => {
            let answers = answered(answers, Vec::new(), answers_file)?;
            call::<route::AnswerTest, _>(server, [&request], &answers).await
        }
        WorkerAction::Reset => call::<route::Reset, _>(server, [], &()).await,
    }
}

async fn run_clock(server: &str, advance: Option<i64>, set: Option<String>) -> Result<(), String> {
    match (advance, set) {
        (Some(seconds), _) => {
            call::<route::AdvanceClock, _>(server, [], &Advance { seconds }).await
        }
        (None, Some(now)) => call::<route::SetClock, _>(server, [], &SetClock { now }).await,
        (None, None) => call::<route::ReadClock, _>(server, [], &()).await,
    }
}

/// What the admin surfaces ask: the configured token, or, beyond loopback, a fresh one. Beyond
/// loopback the warning goes to standard error, where it is seen even when the output is
/// read by a script.
fn admin_access(local: SocketAddr, configured: Option<String>) -> Access {
    if local.ip().is_loopback() {
        return Access { token: configured };
    }
    eprintln!(
        "WARNING: turkstand is listening on {local}, beyond loopback. Anyone who can reach \
         this address can call the SOAP and REST API with a configured account's keys; the \
         admin API, the worker site and the requester console need the admin token."
    );
    Access {
        token: Some(configured.unwrap_or_else(Access::generate_token)),
    }
}

/// The rule `turkstand faults add` describes.
fn fault_rule(a: AddFaultArgs) -> Result<FaultRule, String> {
    if let Some(json) = a.json {
        return serde_json::from_str(&json).map_err(|e| format!("--json: {e}"));
    }
    let effect = match a.effect {
        Some(EffectKind::Throttle) => FaultEffect::Throttle,
        Some(EffectKind::InternalError) => FaultEffect::InternalError,
        Some(EffectKind::Delay) => FaultEffect::Delay {
            ms: a.ms.ok_or("--effect delay needs --ms")?,
        },
        Some(EffectKind::Reset) => FaultEffect::Reset,
        Some(EffectKind::Stall) => FaultEffect::Stall,
        Some(EffectKind::LostAnswer) => FaultEffect::LostAnswer,
        Some(EffectKind::LegacyError) => FaultEffect::LegacyError {
            code: a.code.ok_or("--effect legacy-error needs --code")?,
            message: a.message,
        },
        Some(EffectKind::Shutdown) => FaultEffect::Shutdown,
        None => return Err("give --effect or --json".into()),
    };
    let when = match (a.next, a.every, a.probability) {
        (Some(n), _, _) => FaultWhen::Next(n),
        (_, Some(k), _) => FaultWhen::Every(k),
        (_, _, Some(p)) => FaultWhen::Probability { p, seed: a.seed },
        _ => FaultWhen::Always,
    };
    let matching = FaultMatch {
        scope: match a.scope {
            ScopeArg::Service => Scope::Service,
            ScopeArg::Admin => Scope::Admin,
            ScopeArg::Worker => Scope::Worker,
        },
        operation: a.operation,
        transport: a.transport.map(|t| match t {
            TransportArg::Soap => Transport::Soap,
            TransportArg::Rest => Transport::Rest,
        }),
        version: a.version,
        access_key_id: a.access_key_id,
        route: a.route,
    };
    Ok(FaultRule {
        matching,
        when,
        effect,
    })
}

async fn run_faults(server: &str, action: FaultsAction) -> Result<(), String> {
    match action {
        FaultsAction::List => call::<route::ListFaults, _>(server, [], &()).await,
        FaultsAction::Add(args) => {
            call::<route::AddFault, _>(server, [], &fault_rule(*args)?).await
        }
        FaultsAction::Remove { id } => {
            call::<route::RemoveFault, _>(server, [&id.to_string()], &()).await
        }
        FaultsAction::Clear => call::<route::ClearFaults, _>(server, [], &()).await,
    }
}

/// One page of the journal.
async fn journal_page(conn: &mut Connection, q: &JournalQuery) -> Result<JournalPage, String> {
    let path = format!("{}?{}", route::ReadJournal::path([]), q.to_query());
    let text = send::<route::ReadJournal>(conn, &path, &()).await?;
    serde_json::from_str(&text).map_err(|e| format!("unexpected journal answer: {e}"))
}

async fn run_journal(server: &str, action: JournalAction) -> Result<(), String> {
    let addr = authority(server).map_err(|e| e.to_string())?;
    let mut conn = Connection::open(&addr).await.map_err(|e| e.to_string())?;
    let (filters, json) = match action {
        JournalAction::Show(filters) => {
            for e in journal_page(&mut conn, &filters.query()).await?.entries {
                println!("{}", serde_json::to_string(&e).map_err(|e| e.to_string())?);
            }
            return Ok(());
        }
        JournalAction::Tail { filters, json } => (filters, json),
    };
    let mut q = filters.query();
    // Only what is recorded from now on.
    q.after = Some(
        journal_page(
            &mut conn,
            &JournalQuery {
                limit: Some(0),
                ..JournalQuery::default()
            },
        )
        .await?
        .last,
    );
    loop {
        let page = journal_page(&mut conn, &q).await?;
        for e in &page.entries {
            if json {
                println!("{}", serde_json::to_string(e).map_err(|e| e.to_string())?);
            } else {
                let or_dash = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".into());
                println!(
                    "{} #{} {} {} {} {} {:.1}ms{}",
                    e.time,
                    e.id,
                    e.transport.as_str(),
                    or_dash(&e.operation),
                    or_dash(&e.account),
                    e.status
                        .map_or_else(|| "unanswered".into(), |s| s.to_string()),
                    e.duration_ms,
                    e.fault
                        .as_ref()
                        .map(|f| format!(" fault {} (rule {})", f.effect, f.rule))
                        .unwrap_or_default()
                );
            }
        }
        use std::io::Write;
        let _ = std::io::stdout().flush();
        q.after = Some(page.entries.last().map_or(q.after.unwrap_or(0), |e| e.id));
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
}

/// Sends one admin API request to `path` (a path of `R`): the answer's text, or the server's
/// refusal.
async fn send<R: Route>(
    conn: &mut Connection,
    path: &str,
    request: &R::Request,
) -> Result<String, String> {
    let (content_type, body) = request.to_body().map_err(|e| e.to_string())?;
    let token = std::env::var("TURKSTAND_ADMIN_TOKEN").ok();
    let mut headers = vec![("content-type", content_type)];
    if let Some(token) = &token {
        headers.push((TOKEN_HEADER, token.as_str()));
    }
    let (status, body) = conn
        .send(R::METHOD.as_str(), path, &headers, body)
        .await
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&body).into_owned();
    if (200..300).contains(&status) {
        Ok(text)
    } else {
        Err(format!("the server refused ({status}): {text}"))
    }
}

/// One admin API call; prints the JSON answer, or fails with the server's refusal.
async fn call<R: Route, const N: usize>(
    server: &str,
    params: [&str; N],
    request: &R::Request,
) -> Result<(), String> {
    let addr = authority(server).map_err(|e| e.to_string())?;
    let mut conn = Connection::open(&addr).await.map_err(|e| e.to_string())?;
    println!("{}", send::<R>(&mut conn, &R::path(params), request).await?);
    Ok(())
}
