//! What the bot answers, in Spanish: the seller's language in seed 004.

use arichat_core::money::{format_plain, Currency, Region, DEFAULT_TOLERANCE_BPS};

use crate::bot::{Outcome, Refusal};

/// The example a refused message ends with.
pub const EXAMPLE: &str =
    "`@monto 1500 @cliente Juan @tubos 5` (o `/venta monto=1500 cliente=\"Juan\" tubos=5`)";

fn money(minor: i64, currency: Currency, region: Region) -> String {
    format!(
        "{} {}",
        format_plain(minor, currency, region),
        currency.as_str()
    )
}

/// The answer to `outcome`; `None` for a duplicate (the first delivery was answered).
pub fn text(outcome: &Outcome, region: Region) -> Option<String> {
    Some(match outcome {
        Outcome::Recorded(sale) => {
            let d = &sale.deal;
            let mut out = format!(
                "Venta registrada: {} a {}",
                money(d.amount.minor, d.amount.currency, region),
                d.customer
            );
            if let Some(units) = d.units {
                out.push_str(&format!(", {units} tubos"));
            }
            let c = &sale.commission;
            out.push_str(&format!(
                ".\nComisión: {} ({}).",
                money(c.total_minor, c.currency, region),
                c.explanation
            ));
            if let Some(total) = &sale.receipt {
                out.push_str(&format!(
                    "\nComprobante: {}, coincide.",
                    money(total.minor, total.currency, region)
                ));
            }
            out
        }
        Outcome::Duplicate => return None,
        Outcome::Refused(refusal) => format!("No registré la venta: {}", refusal_text(refusal, region)),
        Outcome::Failed(_) => {
            "No pude registrar la venta por un problema del bot; vuelve a intentarlo en un mensaje nuevo en unos minutos.".to_owned()
        }
    })
}

fn refusal_text(refusal: &Refusal, region: Region) -> String {
    match refusal {
        Refusal::Message(problems) => format!("{}. Escribe por ejemplo {EXAMPLE}.", problems.join("; ")),
        Refusal::Currency { written, team } => format!(
            "el monto está en {} y las ventas de este equipo se registran en {}.",
            written.as_str(),
            team.as_str()
        ),
        Refusal::ReceiptMismatch {
            declared,
            read,
            currency,
        } => format!(
            "el comprobante dice {} y declaraste {} (diferencia {}, más del {} %). Corrige @monto o adjunta el comprobante correcto en un mensaje nuevo.",
            money(*read, *currency, region),
            money(*declared, *currency, region),
            money(read - declared, *currency, region),
            DEFAULT_TOLERANCE_BPS / 100
        ),
        Refusal::ReceiptUnreadable => {
            "no pude leer el total del comprobante. Adjunta una foto más nítida en un mensaje nuevo.".to_owned()
        }
        Refusal::ReceiptNotAnImage => {
            "el adjunto no es una imagen PNG o JPEG del comprobante.".to_owned()
        }
    }
}
