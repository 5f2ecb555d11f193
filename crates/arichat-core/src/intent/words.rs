//! Closed lists of function words the scope rules look for (negators, contrast
//! markers, words that mention or ask about a keyword, time limits, determiners,
//! universals, kinds of contact), and the [`Marks`] they give a token: each marked
//! word is looked up once per message, not once per rule that asks.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use crate::fnv::Fnv;

/// Which lists a token's folded word is on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Marks(u16);

impl Marks {
    /// Negates what follows in its clause ("no", "nunca", "don't").
    pub const NEGATOR: Marks = Marks(1);
    /// Introduces a quoted or cited keyword ("responda", "button", "dice").
    pub const MENTION: Marks = Marks(2);
    /// Talks about a message or a control rather than acting ("sms", "menu").
    pub const META: Marks = Marks(4);
    /// Opens a question ("que", "what", "qual").
    pub const QUESTION: Marks = Marks(8);
    /// Turns to what follows ("pero", "but", "mas").
    pub const CONTRAST: Marks = Marks(16);
    /// Reports a request or a saying ("pidiendo", "asking", "dizendo"): after a
    /// negator it frames what follows ("no estoy pidiendo que me saquen").
    pub const REPORT: Marks = Marks(32);
    /// Bounds a request in time ("hoy", "today", "amanhã", "yet", "until"): "no me
    /// llamen hoy" asks for quiet today, not for no contact ever.
    pub const TIME_LIMIT: Marks = Marks(64);
    /// Right after "not interested", names what the refusal is about ("no me interesa
    /// *ese* plan", "not interested *unless*…", "não tenho interesse *no* básico").
    pub const NARROWS: Marks = Marks(128);
    /// A past form or participle of a one-word keyword ("desuscribí", "descadastrei",
    /// "descadastrado"): it reports what was done ("me desuscribí por error"), it does
    /// not ask for it.
    pub const PAST_FORM: Marks = Marks(256);
    /// Opens a span of time that starts now and does not end ("desde hoy", "from
    /// today", "a partir de amanhã"): a time word after it widens, not bounds.
    pub const FROM: Marks = Marks(512);
    /// A determiner or possessive that opens the object of a one-word phrase
    /// ("cancelar *meu* cartão", "stop *the* car").
    pub const OPENS_OBJECT: Marks = Marks(1024);

    /// Whether every flag of `other` is set.
    pub fn contains(self, other: Marks) -> bool {
        self.0 & other.0 == other.0
    }

    /// The marks of a folded word (none unless it is on a list).
    #[cfg(test)]
    pub fn of(fold: &str) -> Marks {
        table().get(fold).copied().unwrap_or_default()
    }

    /// Every word on a list, with its marks (the lexicon's trie holds them, so a
    /// token's marks come with its lookup).
    pub fn marked() -> impl Iterator<Item = (&'static str, Marks)> {
        table().iter().map(|(&word, &marks)| (word, marks))
    }
}

fn table() -> &'static HashMap<&'static str, Marks, BuildHasherDefault<Fnv>> {
    static TABLE: OnceLock<HashMap<&'static str, Marks, BuildHasherDefault<Fnv>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t: HashMap<&'static str, Marks, BuildHasherDefault<Fnv>> = HashMap::default();
        for (list, mark) in [
            (NEGATORS, Marks::NEGATOR),
            (MENTION_WORDS, Marks::MENTION),
            (META_WORDS, Marks::META),
            (QUESTION_WORDS, Marks::QUESTION),
            (CONTRAST_WORDS, Marks::CONTRAST),
            (REPORT_WORDS, Marks::REPORT),
            (TIME_LIMIT_WORDS, Marks::TIME_LIMIT),
            (NARROWING_WORDS, Marks::NARROWS),
            (PAST_FORMS, Marks::PAST_FORM),
            (FROM_WORDS, Marks::FROM),
            (OBJECT_OPENERS, Marks::OPENS_OBJECT),
        ] {
            for w in list {
                t.entry(w).or_default().0 |= mark.0;
            }
        }
        t
    })
}

/// Words that cancel a negatable phrase when they precede it in the same clause.
const NEGATORS: &[&str] = &[
    "no", "nao", "not", "never", "nunca", "jamas", "nem", "ni", "dont", "doesnt", "didnt", "isnt",
    "arent", "wasnt", "werent", "wont", "aint", "nuh", "sin", "sem", "without", "tampoco", "nor",
    "hindi", "sijasema", "sikusema", "bukan",
];

/// Words naming a thing to type or press, before a keyword.
const MENTION_WORDS: &[&str] = &[
    "responde",
    "responda",
    "responder",
    "respondan",
    "reply",
    "text",
    "envia",
    "envie",
    "enviar",
    "digite",
    "digita",
    "digitar",
    "escribe",
    "escriba",
    "escribi",
    "escribir",
    "type",
    "press",
    "aperte",
    "apertar",
    "toque",
    "tocar",
    "click",
    "clic",
    "clica",
    "clicar",
    "boton",
    "button",
    "botao",
    "opcion",
    "option",
    "opcao",
    "palabra",
    "word",
    "palavra",
    "comando",
    "command",
    "tecla",
    "dice",
    "says",
    "said",
    "diz",
    "dizendo",
    "diciendo",
    "saying",
    "decia",
    "dizia",
    "pone",
    "poner",
    "ponga",
    "colocar",
    "coloque",
    "pulsa",
    "pulsar",
];

/// Words that make a question one *about* a word, button, menu or message.
const META_WORDS: &[&str] = &[
    "significa",
    "significado",
    "mean",
    "means",
    "meaning",
    "sirve",
    "serve",
    "does",
    "hace",
    "faz",
    "pasa",
    "happens",
    "acontece",
    "sms",
    "boton",
    "button",
    "botao",
    "menu",
    "opcion",
    "option",
    "opcao",
    "dice",
    "says",
    "diz",
    "palabra",
    "word",
    "palavra",
    "aparece",
    "appears",
    "sale",
    "icono",
    "icon",
    "icone",
];

/// Words that open a question.
const QUESTION_WORDS: &[&str] = &[
    "que", "what", "which", "qual", "cual", "porque", "why", "por", "pq", "is", "es",
];

/// Contrast markers: what follows carries the point.
const CONTRAST_WORDS: &[&str] = &[
    "pero",
    "but",
    "mas",
    "porem",
    "sino",
    "however",
    "aunque",
    "although",
    "though",
    "entretanto",
    "todavia",
    "contudo",
];

/// Verbs that report a request or a saying, in the forms that follow a negator.
const REPORT_WORDS: &[&str] = &[
    "pidiendo", "pido", "pedi", "pedindo", "peco", "asking", "ask", "asked", "saying", "say",
    "said", "diciendo", "digo", "dije", "dizendo", "disse", "falando", "falei", "telling", "told",
];

/// Words that bound a request in time when they follow it closely (or come just
/// before it): a day, a weekday ("los martes no me manden nada"), "before" an hour
/// ("não me liguem antes das 10"). Portuguese weekdays are ordinals ("segunda vez"):
/// only their "feira" is taken.
const TIME_LIMIT_WORDS: &[&str] = &[
    "hoy",
    "hoje",
    "today",
    "tonight",
    "manana",
    "amanha",
    "tomorrow",
    "yet",
    "momento",
    "moment",
    "until",
    "till",
    "hasta",
    "ate",
    "antes",
    "before",
    "lunes",
    "martes",
    "miercoles",
    "jueves",
    "viernes",
    "sabado",
    "sabados",
    "domingo",
    "domingos",
    "feira",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mondays",
    "tuesdays",
    "wednesdays",
    "thursdays",
    "fridays",
    "saturdays",
    "sundays",
    "weekend",
    "weekends",
    "finde",
    "findes",
];

/// "More" in the three languages, folded ("más", "mais", "more"): after a stop it may
/// open what is refused ("no quiero más deudas", "não me mandem mais o token").
pub(crate) const MORE: &[&str] = &["mas", "mais", "more"];

/// Words that, right after "not interested", narrow it to one thing, one time or one
/// condition. "in", "en", "em" and "at" narrow only before a determiner or a number
/// (see `scope::narrowed`); a universal after any of them ("nada", "at all") widens it
/// back.
const NARROWING_WORDS: &[&str] = &[
    "ese", "esa", "esos", "esas", "este", "esta", "estos", "estas", "el", "la", "los", "las",
    "esse", "essa", "esses", "essas", "estes", "no", "na", "nos", "nas", "nesse", "nessa", "neste",
    "nesta", "this", "that", "these", "those", "the", "unless", "right", "now", "ahora", "ahorita",
    "agora", "ainda", "aun", "todavia", "por", "pelo", "pela", "si", "if", "for", "in", "en", "em",
    "at", "just", "abhi", "filhal", "filhaal", "muna", "rn", "atm",
];

/// Past forms and participles of opt-out keywords, folded: of the one-word ones that
/// match by prefix ("desuscrib*", "descadastr*") and of the verbs of longer phrases.
/// The imperative and infinitive forms ("descadastra", "desuscribirme", "tira") are
/// requests and are not here.
const PAST_FORMS: &[&str] = &[
    "desuscribi",
    "desuscribio",
    "desuscribieron",
    "desuscribido",
    "desuscribida",
    "desuscribidos",
    "desuscribidas",
    "descadastrei",
    "descadastrou",
    "descadastraram",
    "descadastrado",
    "descadastrada",
    "descadastrados",
    "descadastradas",
    "descadastraste",
    // Reports of a removal or a stop done ("me sacaron de la lista", "vi que me
    // tiraram da lista", "parei de receber o catálogo"), matched by the multi-word
    // phrases "saca* ... lista", "tir* ... lista", "pare de".
    "sacaron",
    "sacaste",
    "quitaron",
    "quitaste",
    "borraron",
    "borraste",
    "eliminaron",
    "eliminaste",
    "tiraram",
    "tirou",
    "tiraste",
    "removeram",
    "removeu",
    "excluiram",
    "excluiu",
    "apagaram",
    "apagou",
    "parei",
    "parou",
    "pararam",
    // "deixei de receber": I stopped receiving ("dejé" is checked in the scope rules).
    "deixei",
    "deixou",
    "deixaram",
    "dejaron",
];

/// Starts of verbs of sending or contacting: after a stop and "de" ("parar de", "chega
/// de", "basta de") they keep the stop about messages ("pare de *mandar*", "chega de
/// *ligar*"); any other infinitive ("vou parar de *fumar*", "ya basta de *esperar*")
/// stops something else.
pub(crate) const SENDING_VERBS: &[&str] = &[
    "mand", "envi", "lig", "llam", "escrib", "escrev", "contact", "molest", "perturb", "incomod",
    "text", "messag", "call", "writ", "send", "spam", "insist", "chat", "buzz",
];

/// Starts of verbs of charging or debiting: "pare de me *cobrar*" stops a charge, not
/// the messages.
pub(crate) const CHARGING_VERBS: &[&str] = &["cobr", "descont", "debit", "charg", "bill", "factur"];

/// Words that open an unbounded span before a time word: "desde hoy", "a partir de
/// mañana", "from today", "starting tomorrow", "de hoje em diante", "as of today".
const FROM_WORDS: &[&str] = &["desde", "de", "partir", "from", "starting", "since", "of"];

/// Demonstratives that, with a noun, name one thing ("*esa promo* no me interesa").
pub(crate) const DEMONSTRATIVES: &[&str] = &[
    "ese", "esa", "esos", "esas", "este", "esta", "estos", "estas", "esse", "essa", "esses",
    "essas", "estes", "this", "that", "these", "those",
];

/// Determiners and possessives that open the object of a one-word phrase ("cancelar
/// *meu* cartão", "stop *the* car").
const OBJECT_OPENERS: &[&str] = &[
    "my", "mi", "mis", "meu", "minha", "meus", "minhas", "the", "el", "la", "los", "las", "o",
    "os", "as", "this", "that", "these", "those", "ese", "esa", "esos", "esas", "este", "esta",
    "estos", "estas", "esse", "essa", "esses", "essas", "estes", "your", "su", "sus", "tu", "tus",
    "seu", "sua", "seus", "suas", "a", "an", "un", "una", "um", "uma",
];

/// One-word stops of the lexicon that are also everyday words ("chega" arrives, "baja"
/// lowers, "basta" is enough, "sair" and "salir" go out, "alto" is tall): inside
/// a question of other words they are that word ("chega em outras cores?", "baja un
/// poco?", "basta con transferencia?").
pub(crate) const EVERYDAY_STOPS: &[&str] = &[
    "chega", "baja", "basta", "pare", "parem", "paren", "parar", "sair", "salir", "alto", "stop",
    "end", "quit", "cancel", "cancelar",
];

/// Starts of verbs of going on ("sigan mandando", "continuar recebendo", "keep sending"):
/// after a contrast, with [`MARKETING_NOUNS`], they take a stop back.
/// (Narrower than [`ONGOING_VERBS`]: "recibir las ofertas por email" after a contrast moves
/// the offers to another channel rather than taking the stop back.)
pub(crate) const GOING_ON: &[&str] = &["continu", "segu", "siga", "sigue", "keep"];

/// Starts of the nouns of marketing messages ("as promoções", "las ofertas", "the
/// deals").
pub(crate) const MARKETING_NOUNS: &[&str] = &[
    "promo",
    "ofert",
    "offer",
    "special",
    "deal",
    "novidad",
    "novedad",
    "descont",
    "descuent",
    "discount",
    "catalog",
    "newsletter",
    "cupo",
    "cupom",
    "coupon",
];

/// Starts of verbs of going on being in contact: after "not interested in" they keep
/// the refusal whole ("no me interesa *recibir*", "not interested in *hearing* from
/// you", "não tenho interesse em *continuar*").
pub(crate) const ONGOING_VERBS: &[&str] = &[
    "recib", "receb", "receiv", "get", "hear", "ouvir", "escuch", "seguir", "sigu", "continu",
    "keep", "being", "estar", "stay", "quedar", "ficar", "volver", "voltar",
];

/// Starts of the nouns of things (not messages) a customer cancels or stops, named
/// right after a one-word phrase with no determiner: "cancelar pedido", "stop payment",
/// "cancela cita"; or refused "more" of ("não quero mais dívida", "no more paper
/// statements"). Not "envío"/"envio": "parar envio" stops the sending. Button and menu
/// titles name theirs the same way: "Parar débito automático", "Stop automatic debit",
/// "Sair do menu", "Salir de la fila", "End chat". What a customer is enrolled in is one
/// too: a course, a class, a gym, a membership ("cómo me doy de baja del curso de
/// natación", "unsubscribe me from the yoga class", "sair da academia").
pub(crate) const THINGS: &[&str] = &[
    "pedido",
    "compra",
    "orden",
    "order",
    "cartao",
    "tarjeta",
    "card",
    "cita",
    "consulta",
    "turno",
    "reserva",
    "booking",
    "appointment",
    "pago",
    "pagamento",
    "payment",
    "transfer",
    "pix",
    "boleto",
    "cuenta",
    "conta",
    "account",
    "seguro",
    "deuda",
    "divida",
    "debt",
    "prestamo",
    "emprestimo",
    "loan",
    "statement",
    "extracto",
    "extrato",
    "papel",
    "paper",
    "debit",
    "debito",
    "domicilia",
    "auto",
    "menu",
    "fila",
    "queue",
    "atendim",
    "atencion",
    "pasajer",
    "passageir",
    "passenger",
    "chat",
    "stock",
    "estoque",
    "plan",
    "renova",
    "renew",
    "box",
    "caja",
    "caixa",
    "polic",
    "poliz",
    "apolice",
    "insur",
    "garant",
    "warrant",
    "tecnic",
    "technic",
    "acct",
    "overdraft",
    "pack",
    "paquete",
    "pacote",
    "delivery",
    "kit",
    "token",
    "otp",
    "codigo",
    "marcac",
    "antecip",
    "anticip",
    "curso",
    "course",
    "clase",
    "class",
    "aula",
    "gimnas",
    "gym",
    "academia",
    "membres",
    "membership",
    "matricul",
];

/// Starts of the nouns of what an upset customer has had enough of that is not the
/// messages: excuses, promises, lies, runarounds, delays, price rises ("basta de excusas,
/// ¿dónde está mi pedido?", "chega de desculpa", "stop with the excuses", "basta de
/// aumentos"). Closed on purpose:
/// an unknown noun after "basta de" stays a stop.
pub(crate) const GRIEVANCES: &[&str] = &[
    "excus", "desculp", "pretext", "promes", "promis", "mentir", "lies", "cuento", "chamuy",
    "enrol", "evasiv", "rodeo", "vueltas", "demora", "atraso", "delay", "aument", "reajust",
    "tarifaz",
];

/// Starts of the words for a format of message rather than messages: audios, voice
/// notes, photos, videos, stickers. A stop of one with a request to write instead is a
/// preference of format ("para de mandar áudio, manda por escrito").
pub(crate) const FORMATS: &[&str] = &[
    "audio",
    "voice",
    "voz",
    "foto",
    "photo",
    "pic",
    "video",
    "sticker",
    "gif",
    "pdf",
    "screenshot",
    "captura",
    "print",
];

/// Words that open a daily window before an hour ("antes de las 10", "after 9pm",
/// "a partir das 10h30", "depois das 22h"): a stop with one is bounded to the hours
/// outside it. An hour alone is when the stop is annoyed, not a window ("stop calling me
/// at 8am with offers" is a stop).
pub(crate) const WINDOW_OPENERS: &[&str] = &[
    "antes", "before", "after", "despues", "depois", "partir", "till", "until", "hasta", "ate",
];

/// Words that bound a stop to the early hours wherever they stand ("não me liguem muito
/// cedo", "don't call me so early").
pub(crate) const TIMES_OF_DAY: &[&str] = &["temprano", "cedo", "early"];

/// Whether a token is an hour written as one token: digits with "am", "pm", "h" or
/// "hs" after them, or "h" and minutes ("7am", "8pm", "22h", "10h30", "9hs").
pub(crate) fn is_hour(fold: &str) -> bool {
    let digits = fold.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&digits) {
        return false;
    }
    match &fold[digits..] {
        "am" | "pm" | "h" | "hs" | "hrs" => true,
        rest => rest
            .strip_prefix('h')
            .is_some_and(|m| m.len() == 2 && m.bytes().all(|b| b.is_ascii_digit())),
    }
}

/// Words that open a period a stop holds for, before it in its clause: "durante mi
/// licencia no me llamen", "enquanto tô viajando não me liguem", "while I'm abroad
/// don't call".
pub(crate) const DURING: &[&str] = &["durante", "mientras", "enquanto", "during", "while"];

/// Words that widen a stop bounded by a time back to every time: "hoy no me escriban
/// *más*", "today don't call me *again*". (Not "nada": "los martes no me manden nada"
/// sends nothing on Tuesdays.)
pub(crate) const TIME_WIDENERS: &[&str] = &[
    "mas", "mais", "more", "anymore", "again", "never", "nunca", "jamas", "ever", "forever",
    "general", "period",
];

/// Words for a channel or for "here", which a message can welcome while it stops
/// another ("no me llamen, escríbanme por acá", "no calls, text only", "só por este
/// WhatsApp").
pub(crate) const CHANNELS: &[&str] = &[
    "whatsapp",
    "whats",
    "wsp",
    "wpp",
    "wasap",
    "zap",
    "zapzap",
    "sms",
    "mensaje",
    "mensajes",
    "mensagem",
    "mensagens",
    "msg",
    "msgs",
    "message",
    "messages",
    "text",
    "texts",
    "texto",
    "textos",
    "texting",
    "correo",
    "mail",
    "email",
    "gmail",
    "escrito",
    "escrita",
    "writing",
    "chat",
    "aqui",
    "aca",
    "here",
    "telegram",
    "dm",
    "inbox",
    "llamada",
    "llamadas",
    "ligacao",
    "call",
    "calls",
];

/// Words that welcome a channel before it (within four words, in its clause): a
/// preference, "only", a request to send or write ("solo por whatsapp", "prefiero
/// mensaje", "only message on WhatsApp", "escríbanme por acá", "send it here"); after
/// it, an acceptance ("whatsapp is ok", "por whats sí", "pelo zap pode").
pub(crate) const WELCOMES: &[&str] = &[
    "solo",
    "apenas",
    "only",
    "just",
    "mejor",
    "melhor",
    "prefiero",
    "prefiere",
    "prefiro",
    "prefer",
    "rather",
    "instead",
    "todo",
    "tudo",
    "everything",
];

/// Words after a channel that accept it: "whatsapp is ok", "por whats sí", "pelo zap
/// pode", "texting is fine".
pub(crate) const ACCEPTS: &[&str] = &[
    "ok",
    "okay",
    "fine",
    "perfect",
    "perfecto",
    "perfeito",
    "si",
    "sim",
    "pode",
    "bien",
    "bom",
    "enough",
    "sufficient",
    "better",
];

/// Imperatives of sending without a pronoun on them, which ask for a channel after them
/// ("enviem mensagem por aqui", "que me lo manden por correo", "escriban"). Not forms
/// that are also reports or nouns ("me siguen mande y mande mensajes", "text messages").
pub(crate) const SEND_IMPERATIVES: &[&str] = &[
    "manden",
    "envien",
    "escriban",
    "avisen",
    "contacten",
    "mandem",
    "enviem",
    "escrevam",
    "avisem",
    "escriba",
    "escreva",
    "escreve",
];

/// Words for a period, read as one after a demonstrative ("esta semana", "this month",
/// "ese día", "in this period").
pub(crate) const PERIODS: &[&str] = &[
    "semana", "week", "mes", "month", "dia", "day", "periodo", "period", "finde", "weekend", "wk",
    "wknd", "mth",
];

/// People a customer can send the contact to instead ("text my wife", "escríbanle a mi
/// esposa", "manda pra minha filha").
pub(crate) const PEOPLE: &[&str] = &[
    "wife",
    "husband",
    "son",
    "daughter",
    "mom",
    "mum",
    "dad",
    "partner",
    "assistant",
    "secretary",
    "brother",
    "sister",
    "boss",
    "esposa",
    "esposo",
    "marido",
    "mujer",
    "hijo",
    "hija",
    "mama",
    "papa",
    "socio",
    "socia",
    "secretaria",
    "filha",
    "filho",
    "mae",
    "pai",
    "irmao",
    "irma",
    "chefe",
    "jefe",
];

/// Times of the week or the day a customer accepts instead of the one stopped
/// ("evenings are fine", "durante a semana pode", "en la tarde sí").
pub(crate) const DAYPARTS: &[&str] = &[
    "evening",
    "evenings",
    "morning",
    "mornings",
    "afternoon",
    "afternoons",
    "tarde",
    "tardes",
    "noche",
    "noches",
    "noite",
    "noites",
    "semana",
    "weekdays",
    "weekday",
    "lunch",
    "almuerzo",
    "almoco",
];

/// Past forms of sending, which report what was done rather than ask for a channel
/// ("stop calling me, I already wrote to you by email").
pub(crate) const SENT: &[&str] = &[
    "escrevi", "mandei", "enviei", "envie", "liguei", "llame", "wrote", "sent", "texted", "called",
    "messaged", "told", "dije", "disse", "falei",
];

/// Words that say a stop was an intention not carried out, before it in its sentence:
/// "eu ia pedir pra sair", "iba a darme de baja", "tava quase pedindo", "almost
/// unsubscribed". ("was going"/"was gonna" are read as a pair.) Not "would" or "I'd":
/// "would you remove me", "I'd like to unsubscribe" are requests.
pub(crate) const INTENDED: &[&str] = &["ia", "iba", "ibamos", "iamos", "quase", "casi", "almost"];

/// Words that say the customer was won over, after a stop in the same message: the stop
/// gave in, it asked for nothing ("ok stop, you convinced me, how do I pay", "ya no me
/// mandes más fotos, me convenciste"). Past forms only: "stop trying to convince me" is
/// not won over.
pub(crate) const WON_OVER: &[&str] = &[
    "convinced",
    "convenciste",
    "convencieron",
    "convenceu",
    "convenceram",
    "convenceste",
    "convencido",
    "convencida",
    "convencio",
    "convenci",
];

/// Starts of the nouns a one-word phrase can stop or cancel and still be an opt-out
/// ("stop the messages", "cancelar la suscripción").
pub(crate) const CONTACT_NOUNS: &[&str] = &[
    "update",
    "alert",
    "novedad",
    "novidad",
    "info",
    "noticia",
    "news",
    "numer",
    "number",
    "contat",
    "contac",
    "dato",
    "dado",
    "data",
    "phone",
    "telefon",
    "cel",
    "nome",
    "name",
    "nombre",
    "grupo",
    "group",
    "canal",
    "channel",
    "bot",
    "robo",
    "informativ",
    "catalog",
    "lembret",
    "recordator",
    "remind",
    "aviso",
    "deal",
    "survey",
    "encuesta",
    "pesquisa",
    "cupo",
    "coupon",
    "audio",
    "public",
    "ads",
    "cosa",
    "coisa",
    "esto",
    "isso",
    "disso",
    "eso",
    "everything",
    "todo",
    "tudo",
    "mensaj",
    "mensag",
    "messag",
    "msg",
    "mgs",
    "text",
    "txt",
    "promo",
    "call",
    "llamad",
    "ligac",
    "email",
    "mail",
    "correo",
    "notif",
    "spam",
    "propagand",
    "ofert",
    "offer",
    "sms",
    "whats",
    "wpp",
    "zap",
    "suscrip",
    "subscr",
    "assinat",
    "inscri",
    "list",
    "newsletter",
    "campan",
    "campaign",
    "marketing",
    "anunc",
];

/// Determiners (and amounts: a number or a currency sign) that make "in"/"en"/"em"/"at"
/// point at one thing.
pub(crate) const DETERMINERS: &[&str] = &[
    "the", "this", "that", "these", "those", "a", "an", "el", "la", "los", "las", "ese", "esa",
    "este", "esta", "un", "una", "o", "os", "as", "esse", "essa", "um", "uma",
];

/// Words that widen a refusal back to everything ("no me interesa *por nada*",
/// "not interested *at all*", "em *nada*").
pub(crate) const UNIVERSALS: &[&str] = &[
    "all",
    "any",
    "anything",
    "nothing",
    "more",
    "anymore",
    "nada",
    "todo",
    "ninguno",
    "ninguna",
    "ningun",
    "nunca",
    "never",
    "mas",
    "mais",
    "nenhum",
    "nenhuma",
    "jeito",
    "tudo",
    "everything",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_on_two_lists_has_both_marks() {
        // "es" opens questions ("es de ustedes?") and is not a negator.
        let marks: Vec<Marks> = ["no", "pero", "es"].into_iter().map(Marks::of).collect();
        assert!(marks[0].contains(Marks::NEGATOR));
        assert!(marks[1].contains(Marks::CONTRAST));
        assert!(marks[2].contains(Marks::QUESTION) && !marks[2].contains(Marks::NEGATOR));
        let both = Marks(Marks::META.0 | Marks::MENTION.0);
        assert!(
            table().values().any(|m| *m == both),
            "boton is META and MENTION"
        );
        assert!(Marks::of("hoy").contains(Marks::TIME_LIMIT));
        assert!(Marks::of("esa").contains(Marks::NARROWS));
        assert!(!Marks::of("nada").contains(Marks::NARROWS));
    }
}
