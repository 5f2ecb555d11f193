//! A 50-campaign bundle over the UCI Bank Marketing columns, the customers of that file,
//! and the same rules hand-written in Rust as the baseline: shared by the
//! `campaign_speed` example and the `campaigns` bench.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use arichat_core::campaign::{bucket, CampaignBundle};
use arichat_core::scoring::{Column, LeadRecord};

const JOBS: [&str; 11] = [
    "admin.",
    "blue-collar",
    "technician",
    "services",
    "management",
    "retired",
    "entrepreneur",
    "self-employed",
    "housemaid",
    "unemployed",
    "student",
];
const MONTHS: [&str; 10] = [
    "may", "jun", "jul", "aug", "nov", "apr", "oct", "sep", "mar", "dec",
];

/// Campaigns per bundle.
pub const CAMPAIGNS: usize = 50;
/// The bundle's `max_per_customer`.
pub const MAX_PER_CUSTOMER: usize = 5;

/// The bundle: five rule shapes (job and age; a segment, housing and age; previous
/// outcome and recency; a scorecard grade and marital status; contact, month and call
/// duration) with parameters varying by campaign, a third in exclusion groups, a
/// quarter with a 10 % holdout.
pub fn bundle() -> CampaignBundle {
    let mut s = String::from(
        r#"version = "bench-50"
max_per_customer = 5
[scorecard]
[scorecard.fields]
age = "number"
pdays = "number"
previous = "number"
duration = "number"
[[scorecard.fit]]
id = "previous_success"
field = "poutcome"
equals = "success"
points = 50
[[scorecard.fit]]
id = "contacted_before"
field = "previous"
range = { gte = 1 }
points = 15
[[scorecard.fit]]
id = "on_mobile"
field = "contact"
equals = "cellular"
points = 10
[[scorecard.fit]]
id = "student_or_retired"
field = "job"
one_of = ["student", "retired"]
points = 25
[[scorecard.fit]]
id = "in_default"
field = "default"
equals = "yes"
points = -60
[segments]
debt_free = { all = [{ field = "default", eq = "no" }, { field = "loan", eq = "no" }] }
recent = { field = "pdays", lt = 7 }
"#,
    );
    for i in 0..CAMPAIGNS {
        let p = Params::of(i);
        let rule = match p.shape {
            0 => format!(
                "{{ all = [{{ field = \"job\", one_of = [\"{}\", \"{}\"] }}, {{ field = \"age\", gte = {} }}] }}",
                p.job_a, p.job_b, p.number
            ),
            1 => format!(
                "{{ all = [{{ in_segment = \"debt_free\" }}, {{ field = \"housing\", eq = \"yes\" }}, {{ field = \"age\", lt = {} }}] }}",
                p.number
            ),
            2 => format!(
                "{{ all = [{{ any = [{{ field = \"poutcome\", eq = \"success\" }}, {{ field = \"previous\", gte = {} }}] }}, {{ none = [{{ in_segment = \"recent\" }}] }}] }}",
                p.number
            ),
            3 => format!(
                "{{ all = [{{ grade = [{}] }}, {{ field = \"marital\", eq = \"{}\" }}] }}",
                if p.good_grades { "\"a\", \"b\"" } else { "\"c\"" },
                p.marital
            ),
            _ => format!(
                "{{ all = [{{ field = \"contact\", eq = \"cellular\" }}, {{ field = \"month\", one_of = [\"{}\", \"{}\"] }}, {{ field = \"duration\", gte = {} }}] }}",
                p.month_a, p.month_b, p.number
            ),
        };
        s.push_str(&format!(
            "[[campaigns]]\nid = \"c{i:02}\"\npriority = {}\nchannels = [\"app\", \"phone\"]\neligibility = {rule}\noffer = {{ product = \"p{i}\", rate = 0.05 }}\n",
            100 - i as i32
        ));
        if let Some(g) = p.group {
            s.push_str(&format!("exclusion_group = \"g{g}\"\n"));
        }
        if p.holdout {
            s.push_str("holdout = 10\n");
        }
    }
    CampaignBundle::from_toml_str(&s).expect("the bench bundle loads")
}

/// The parameters of campaign `i`, read by the bundle and the baseline alike.
struct Params {
    shape: usize,
    job_a: &'static str,
    job_b: &'static str,
    number: f64,
    good_grades: bool,
    marital: &'static str,
    month_a: &'static str,
    month_b: &'static str,
    group: Option<usize>,
    holdout: bool,
}

impl Params {
    fn of(i: usize) -> Params {
        let shape = i % 5;
        Params {
            shape,
            job_a: JOBS[i % 11],
            job_b: JOBS[(i + 3) % 11],
            number: match shape {
                0 => (20 + (i * 3) % 40) as f64,
                1 => (30 + (i * 7) % 35) as f64,
                2 => (1 + i % 3) as f64,
                _ => (100 + (i * 13) % 400) as f64,
            },
            good_grades: i.is_multiple_of(2),
            marital: if i.is_multiple_of(2) {
                "married"
            } else {
                "single"
            },
            month_a: MONTHS[i % 10],
            month_b: MONTHS[(i + 1) % 10],
            group: i.is_multiple_of(3).then_some(i % 10),
            holdout: i.is_multiple_of(4),
        }
    }
}

/// One customer of the bank file, typed for the hand-written baseline.
pub struct Customer {
    pub id: String,
    pub age: f64,
    pub job: String,
    pub marital: String,
    pub default: String,
    pub housing: String,
    pub loan: String,
    pub contact: String,
    pub month: String,
    pub duration: f64,
    pub pdays: f64,
    pub previous: f64,
    pub poutcome: String,
}

/// `../shared/datasets/bank-additional-full.csv` (or `--data PATH`), else the 56
/// customers of `examples/campaigns/customers.csv`.
pub fn data_path(args: &[String]) -> PathBuf {
    if let Some(p) = args
        .iter()
        .position(|a| a == "--data")
        .and_then(|i| args.get(i + 1))
    {
        return PathBuf::from(p);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let full = root.join("../shared/datasets/bank-additional-full.csv");
    if full.exists() {
        full
    } else {
        root.join("examples/campaigns/customers.csv")
    }
}

/// Every customer of the file as a record (all columns, typed by the bundle's
/// scorecard) and as a typed struct.
pub fn load(path: &Path, bundle: &CampaignBundle) -> (Vec<LeadRecord>, Vec<Customer>) {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(path)
        .expect("the bank file");
    let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
    let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let types = &bundle.scorecard().unwrap().fields;
    let (mut records, mut customers) = (Vec::new(), Vec::new());
    for (line, row) in r.records().enumerate() {
        let cells: Vec<String> = row.unwrap().iter().map(str::to_owned).collect();
        let text = |name: &str| cells[col(name)].clone();
        let num = |name: &str| cells[col(name)].trim().parse::<f64>().unwrap_or(f64::NAN);
        let id = match headers.iter().position(|h| h == "customer_id") {
            Some(c) => cells[c].clone(),
            None => format!("bk-{:05}", line + 1),
        };
        records.push(LeadRecord::from_csv_row(&headers, &cells, types));
        customers.push(Customer {
            id,
            age: num("age"),
            job: text("job"),
            marital: text("marital"),
            default: text("default"),
            housing: text("housing"),
            loan: text("loan"),
            contact: text("contact"),
            month: text("month"),
            duration: num("duration"),
            pdays: num("pdays"),
            previous: num("previous"),
            poutcome: text("poutcome"),
        });
    }
    (records, customers)
}

/// The bundle's decisions written by hand: the indices of the campaigns assigned, in
/// priority order (eligibility, holdout bucket, exclusion groups, the per-customer cap).
pub fn baseline(c: &Customer, out: &mut Vec<usize>) {
    out.clear();
    let score = if c.poutcome == "success" { 50.0 } else { 0.0 }
        + if c.previous >= 1.0 { 15.0 } else { 0.0 }
        + if c.contact == "cellular" { 10.0 } else { 0.0 }
        + if c.job == "student" || c.job == "retired" {
            25.0
        } else {
            0.0
        }
        + if c.default == "yes" { -60.0 } else { 0.0 };
    let good = score >= 50.0;
    let grade_c = (25.0..50.0).contains(&score);
    let mut taken = [false; 10];
    for i in 0..CAMPAIGNS {
        let p = Params::of(i);
        let eligible = match p.shape {
            0 => (c.job == p.job_a || c.job == p.job_b) && c.age >= p.number,
            1 => c.default == "no" && c.loan == "no" && c.housing == "yes" && c.age < p.number,
            2 => {
                (c.poutcome == "success" || c.previous >= p.number)
                    && c.pdays.partial_cmp(&7.0) != Some(std::cmp::Ordering::Less)
            }
            3 => (if p.good_grades { good } else { grade_c }) && c.marital == p.marital,
            _ => {
                c.contact == "cellular"
                    && (c.month == p.month_a || c.month == p.month_b)
                    && c.duration >= p.number
            }
        };
        if !eligible {
            continue;
        }
        // A holdout still takes its group and a place under the cap; compute the
        // bucket as the engine does, for the same work.
        let seed = [b'c', b'0' + (i / 10) as u8, b'0' + (i % 10) as u8];
        let seed = std::str::from_utf8(&seed).unwrap_or_default();
        std::hint::black_box(p.holdout && bucket(seed, &c.id) < 1000);
        if let Some(g) = p.group {
            if taken[g] {
                continue;
            }
            taken[g] = true;
        }
        out.push(i);
        if out.len() == MAX_PER_CUSTOMER {
            break;
        }
    }
}

/// The columns the rules read, as a data frame would hand them over.
pub struct Columns<'a> {
    texts: Vec<(&'static str, Vec<Option<&'a str>>)>,
    numbers: Vec<(&'static str, Vec<f64>)>,
}

impl<'a> Columns<'a> {
    /// The customers' attributes by column.
    pub fn of(customers: &'a [Customer]) -> Self {
        let text = |name, f: fn(&'a Customer) -> &'a str| {
            (name, customers.iter().map(|c| Some(f(c))).collect())
        };
        let number = |name, f: fn(&Customer) -> f64| (name, customers.iter().map(f).collect());
        Columns {
            texts: vec![
                text("job", |c| &c.job),
                text("marital", |c| &c.marital),
                text("default", |c| &c.default),
                text("housing", |c| &c.housing),
                text("loan", |c| &c.loan),
                text("contact", |c| &c.contact),
                text("month", |c| &c.month),
                text("poutcome", |c| &c.poutcome),
            ],
            numbers: vec![
                number("age", |c| c.age),
                number("duration", |c| c.duration),
                number("pdays", |c| c.pdays),
                number("previous", |c| c.previous),
            ],
        }
    }

    /// The named columns `assign_batch` takes.
    pub fn columns(&self) -> Vec<(&str, Column<'_>)> {
        self.texts
            .iter()
            .map(|(n, v)| (*n, Column::Text(v)))
            .chain(self.numbers.iter().map(|(n, v)| (*n, Column::numbers(v))))
            .collect()
    }
}
