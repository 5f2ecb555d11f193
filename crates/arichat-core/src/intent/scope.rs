//! The scope of a phrase: whether a message *uses* a keyword or only mentions it.
//!
//! "BAJA" is a request in `BAJA`, and not in `me llegó un SMS que dice "responda BAJA"`,
//! `qué hace el botón Stop?`, `no quiero darme de baja` or `no es que no me interese,
//! pero…`. Each phrase occurrence gets a set of [`Scope`] flags; the hybrid classifier
//! feeds them to its model as features and lets only an unscoped opt-out phrase count
//! as an explicit opt-out.

use super::fold::{Token, TokenKind};
use super::rules::{negated, RuleHit};
use super::words::{
    is_hour, Marks, ACCEPTS, CHANNELS, CHARGING_VERBS, CONTACT_NOUNS, DAYPARTS, DEMONSTRATIVES,
    DETERMINERS, DURING, EVERYDAY_STOPS, FORMATS, GOING_ON, GRIEVANCES, INTENDED, MARKETING_NOUNS,
    MORE, ONGOING_VERBS, PEOPLE, PERIODS, SENDING_VERBS, SEND_IMPERATIVES, SENT, THINGS,
    TIMES_OF_DAY, TIME_WIDENERS, UNIVERSALS, WELCOMES, WINDOW_OPENERS, WON_OVER,
};

/// Flags describing how a phrase occurs in its message.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Scope(u16);

impl Scope {
    /// A negator precedes it in the same clause ("no quiero darme de baja").
    pub const NEGATED: Scope = Scope(1);
    /// Inside quotation marks.
    pub const QUOTED: Scope = Scope(2);
    /// Named as a word to type or a button to press ("responda BAJA", "botón Stop").
    pub const MENTIONED: Scope = Scope(4);
    /// In a question about a word, button, menu or message ("¿qué significa…?").
    pub const ASKED_ABOUT: Scope = Scope(8);
    /// Inside a "not that …" frame ("no es que no me interese").
    pub const FRAMED: Scope = Scope(16);
    /// A contrast marker ("pero", "but", "mas") follows it.
    pub const CONTRASTED: Scope = Scope(32);
    /// Part of a hyphenated word ("non-stop", "stop-loss") or of a name joined by an
    /// ampersand ("Stop & Go"), or a past form of the
    /// keyword that reports what was done ("me desuscribí por error", "eu me
    /// descadastrei sem querer"; but "quero ser descadastrado" asks), or "no más"
    /// intensifying the word before it ("dale no más", "así no más": go ahead, just
    /// so), or a stop taken back for the offers after a contrast ("meu marido pediu
    /// pra sair da lista, mas quero continuar recebendo as promoções"), or a one-word
    /// stop that is an everyday word inside a question ("chega em outras cores?"): not
    /// the request.
    pub const FRAGMENT: Scope = Scope(64);
    /// In a condition ("if I unsubscribe, do I lose my points?", "si me doy de baja…"):
    /// a hypothesis, not a request.
    pub const CONDITIONAL: Scope = Scope(128);
    /// Bounded: a time follows closely ("no me llamen hoy", "chega amanhã"); the phrase
    /// acts on something other than messages ("cancelar meu cartão", "no quiero
    /// más deudas", "me llegan a spam"); or a "not interested" is narrowed to one
    /// offer, moment or condition ("no me interesa ese plan", "not interested unless…",
    /// "não tenho interesse no básico"); or a stop of something else ("vou parar de
    /// fumar", "ya basta de esperar"). A narrower refusal than "stop all contact":
    /// never an explicit opt-out by itself.
    pub const LIMITED: Scope = Scope(256);
    /// A stop of one channel with another welcome ("no me llamen, escríbanme por acá",
    /// "no calls please, text only"): a request to end that contact, labelled `opt_out`
    /// by the guide, but not a revocation of all of it. Kept apart from
    /// [`Scope::LIMITED`] (a bounded refusal, labelled by what it asks) so the model
    /// reads the two apart; like it, never an explicit opt-out by itself.
    pub const ONE_CHANNEL: Scope = Scope(512);

    /// Every flag with the short name used for model features.
    pub const NAMED: [(Scope, &'static str); 10] = [
        (Scope::NEGATED, "neg"),
        (Scope::QUOTED, "quote"),
        (Scope::MENTIONED, "mention"),
        (Scope::ASKED_ABOUT, "ask"),
        (Scope::FRAMED, "frame"),
        (Scope::CONTRASTED, "contrast"),
        (Scope::FRAGMENT, "frag"),
        (Scope::CONDITIONAL, "cond"),
        (Scope::LIMITED, "limit"),
        (Scope::ONE_CHANNEL, "channel"),
    ];

    pub fn contains(self, other: Scope) -> bool {
        self.0 & other.0 == other.0
    }

    fn insert(&mut self, other: Scope) {
        self.0 |= other.0;
    }

    /// Whether the phrase is used as a request: no flag that takes it out of use.
    /// A contrast that follows does not ("no me escriban más, pero sí avísenme del
    /// pedido" still asks to stop), unless it asks for the offers to go on
    /// ([`Scope::FRAGMENT`]).
    pub fn is_use(self) -> bool {
        self.0 & !Scope::CONTRASTED.0 == 0
    }
}

/// Opening-and-closing quotation pairs.
/// The double pairs come first: [`DOUBLE_QUOTES`].
const QUOTES: &[(char, char)] = &[
    ('"', '"'),
    ('\u{201c}', '\u{201d}'),
    ('\u{201e}', '\u{201c}'),
    ('\u{ab}', '\u{bb}'),
    ('\u{2018}', '\u{2019}'),
    ('\'', '\''),
    ('*', '*'),
];

/// The pairs of [`QUOTES`] that enclose pasted text too (the single ones are also
/// apostrophes: "don't").
pub(crate) const DOUBLE_QUOTES: &[(char, char)] = QUOTES.split_at(4).0;

/// Flags of one phrase occurrence in `text` (tokenized as `tokens`).
///
/// Every flag looks only inside the phrase's own sentence: "no. stop", "this is the
/// 4th text today. stop" and "?? remove me" use the keyword.
pub(crate) fn scope_of(text: &str, tokens: &[Token], hit: &RuleHit) -> Scope {
    let mut scope = Scope::default();
    let sentence = sentence_around(text, hit.start, hit.end);
    let in_sentence = |t: &&Token| t.start >= sentence.start && t.end <= sentence.end;
    // A phrase that opens with its own negator ("no me escriban", "não me perturbe")
    // is emphatic after another one ("ya dije que no y no quiero más"), not negated.
    let self_negating = tokens[hit.first].marks.contains(Marks::NEGATOR);
    if !self_negating
        && (negated(tokens, hit.first)
            || cannot_before(tokens, hit.first)
            || nothing_of(tokens, hit.first)
            || negated_after(tokens, hit)
            || not_that_but(tokens, hit, &sentence))
    {
        scope.insert(Scope::NEGATED);
    }
    // A phrase that runs out of a quotation ("se llama \"Ya Basta\" de chocolate") is
    // quoted by its first word.
    if quoted(text, hit.start, hit.end) || quoted(text, hit.start, tokens[hit.first].end) {
        scope.insert(Scope::QUOTED);
    }
    let word = |t: &Token, marks: Marks| t.marks.contains(marks);
    // "responde SALIR SALIR": the keyword said again right after it is named is the
    // customer's answer, not the word named.
    let answers = hit
        .first
        .checked_sub(1)
        .is_some_and(|i| tokens[i].fold == tokens[hit.first].fold);
    if !answers
        && tokens[hit.first.saturating_sub(2)..hit.first]
            .iter()
            .filter(in_sentence)
            .any(|t| word(t, Marks::MENTION))
    {
        scope.insert(Scope::MENTIONED);
    }
    // "the unsubscribe link is broken": the keyword names a link or button.
    if tokens
        .get(hit.last + 1)
        .filter(|t| t.clause == tokens[hit.last].clause)
        .is_some_and(|t| UI_NOUNS_AFTER.contains(&t.fold.as_str()))
    {
        scope.insert(Scope::MENTIONED);
    }
    let question = text[sentence.clone()].contains('?')
        || tokens
            .iter()
            .find(in_sentence)
            .is_some_and(|t| word(t, Marks::QUESTION));
    if question
        && tokens
            .iter()
            .filter(in_sentence)
            .any(|t| word(t, Marks::META))
    {
        scope.insert(Scope::ASKED_ABOUT);
    }
    if question && spam_asked(tokens, hit) {
        scope.insert(Scope::ASKED_ABOUT);
    }
    if framed(tokens, hit.first) {
        scope.insert(Scope::FRAMED);
    }
    if hyphenated(text, hit.start, hit.end)
        || accented_past_of_parar(text, tokens, hit)
        || full_stop(tokens, hit)
        || reported(text, tokens, hit)
        || intensifier(tokens, hit)
        || taken_back(tokens, hit, &sentence)
        || withdrawn(tokens, hit, &sentence)
        || everyday_word_in_question(text, tokens, hit, &sentence)
        || exclaimed(tokens, hit)
        || (hit.intent == super::Intent::OptOut
            && (says_it_does_not_bother(tokens, hit)
                || disowned(tokens, hit)
                || won_over(tokens, hit)))
    {
        scope.insert(Scope::FRAGMENT);
    }
    if conditional(text, tokens, hit.first)
        || otherwise(text, tokens, hit.first)
        || intention_dropped(tokens, hit, &sentence)
    {
        scope.insert(Scope::CONDITIONAL);
    }
    if limited(tokens, hit) {
        scope.insert(Scope::LIMITED);
    }
    if hit.intent == super::Intent::OptOut && another_channel_welcome(tokens, hit) {
        scope.insert(Scope::ONE_CHANNEL);
    }
    if tokens[hit.last + 1..]
        .iter()
        .any(|t| word(t, Marks::CONTRAST))
    {
        scope.insert(Scope::CONTRASTED);
    }
    scope
}

/// The scopes of every phrase of a message, in `hits` order.
///
/// A phrase that only carries the negator of a negated phrase of the same intent after
/// it ("no quiero" in "no quiero desuscribirme") is negated with it: it is that
/// phrase's "not", not a request of its own. A phrase inside a bounded one of the same
/// intent is bounded with it.
pub(crate) fn scopes_into(
    text: &str,
    tokens: &[Token],
    hits: &[RuleHit],
    out: &mut Vec<(RuleHit, Scope)>,
) {
    out.clear();
    out.extend(hits.iter().map(|h| (*h, scope_of(text, tokens, h))));
    for i in 0..out.len() {
        let (h, _) = out[i];
        let carries_negator = tokens[h.first..=h.last]
            .iter()
            .any(|t| t.marks.contains(Marks::NEGATOR));
        let absorbed = carries_negator
            && out.iter().any(|(g, s)| {
                g.intent == h.intent
                    && s.contains(Scope::NEGATED)
                    && g.first > h.last
                    && g.first - h.last <= 2
                    && tokens[g.first].clause == tokens[h.last].clause
            });
        if absorbed {
            out[i].1.insert(Scope::NEGATED);
        }
        // "no quiero" inside "no quiero más deudas" is bounded with it.
        let inside_limited = out.iter().any(|(g, s)| {
            g.intent == h.intent
                && s.contains(Scope::LIMITED)
                && g.first <= h.first
                && g.last >= h.last
                && (g.first, g.last) != (h.first, h.last)
        });
        if inside_limited {
            out[i].1.insert(Scope::LIMITED);
        }
    }
}

/// A condition opens within the four words before, in the same clause: "if", "si"
/// written without its accent ("sí" is yes), "caso", or "se" before a subject
/// pronoun ("se eu sair da lista…", "se eu pedir pra sair da lista…"; alone it is usually
/// reflexive).
fn conditional(text: &str, tokens: &[Token], at: usize) -> bool {
    let clause = tokens[at].clause;
    let from = at.saturating_sub(4);
    (from..at).any(|i| {
        let t = &tokens[i];
        t.clause == clause
            && match t.fold.as_str() {
                "if" | "caso" => true,
                "si" => plain_si(text, t),
                "se" => tokens.get(i + 1).is_some_and(|n| {
                    matches!(
                        n.fold.as_str(),
                        "eu" | "voce" | "vc" | "a" | "nos" | "ele" | "ela"
                    )
                }),
                _ => false,
            }
    })
}

/// Whether a word of [`WON_OVER`] follows the phrase in its message: the stop gave in
/// to the offer ("ya ya ok stop, you convinced me, how do I pay", "ya no me mandes más
/// fotos, me convenciste: me llevo la mesa", "para, para, me convenceram, fecha o
/// pedido"). "stop trying to convince me, unsubscribe me" is not one, nor is a stop the
/// customer is not convinced out of ("stop texting me, I'm not convinced"). English
/// also gives in with "you got me" and "you win" ("alright stop, you got me, send the
/// link"); "you got me wrong" does not.
fn won_over(tokens: &[Token], hit: &RuleHit) -> bool {
    let fold = |i: usize| tokens.get(i).map(|t| t.fold.as_str());
    let you = |i: usize| matches!(fold(i), Some("you" | "u" | "ya"));
    (hit.last + 1..tokens.len()).any(|i| {
        (WON_OVER.contains(&tokens[i].fold.as_str()) && !negated(tokens, i))
            || (i > hit.last + 1
                && you(i - 1)
                && match fold(i) {
                    Some("got") => {
                        fold(i + 1) == Some("me")
                            && tokens
                                .get(i + 2)
                                .is_none_or(|n| n.clause != tokens[i].clause)
                    }
                    Some("win") => tokens
                        .get(i + 1)
                        .is_none_or(|n| n.clause != tokens[i].clause),
                    _ => false,
                })
    })
}

/// Whether the phrase is an intention the customer did not carry out, dropped by a
/// contrast after it in its sentence: "eu ia pedir pra me tirarem da lista mas vi esse
/// sofá", "tava quase pedindo pra sair da lista kkk mas essa promo me pegou", "ia
/// cancelar mas resolveram", "I was going to ask you to remove me because of the many
/// messages, but the last one caught my attention". A word of [`INTENDED`] (or "was
/// going"/"was gonna"/"was about", "estaba por", "estava pra", "a punto de") stands at
/// most six words before the phrase in its sentence. A
/// past request is not an intention ("ya había pedido que me sacaran, pero siguen"), and
/// a stop without the contrast stays one ("casi me doy de baja ya, de verdad").
fn intention_dropped(tokens: &[Token], hit: &RuleHit, sentence: &std::ops::Range<usize>) -> bool {
    let from = hit.first.saturating_sub(6);
    let before = &tokens[from..hit.first];
    let after = |k: usize, words: &[&str]| k > 0 && words.contains(&before[k - 1].fold.as_str());
    let intended = before.iter().enumerate().any(|(k, t)| {
        t.start >= sentence.start
            && (INTENDED.contains(&t.fold.as_str())
                || (matches!(t.fold.as_str(), "going" | "gonna" | "about") && after(k, &["was", "were"]))
                // "estaba por darme de baja", "estava pra sair", "a punto de"
                || (matches!(t.fold.as_str(), "por" | "pra" | "para")
                    && after(k, &["estaba", "estava", "tava"]))
                || (t.fold == "punto" && after(k, &["a"])))
    }) || about_to_after(tokens, hit)
        || would_right_before(tokens, hit);
    intended
        && rest_of_sentence(tokens, hit, sentence)
            .iter()
            .any(|t| t.marks.contains(Marks::CONTRAST))
}

/// Whether "I'd" or "I/we would" stands right before the phrase: a hypothesis ("I'd
/// block you but you're the only ones who text me on my birthday"), dropped when a
/// contrast follows. Only right before: "I'd like to unsubscribe" and "would you remove
/// me" ask.
fn would_right_before(tokens: &[Token], hit: &RuleHit) -> bool {
    let clause = tokens[hit.first].clause;
    let at = |i: usize| tokens.get(i).filter(|t| t.clause == clause);
    let Some(w) = hit.first.checked_sub(1) else {
        return false;
    };
    match at(w).map(|t| t.fold.as_str()) {
        Some("id") => true,
        Some("would") => w
            .checked_sub(1)
            .and_then(at)
            .is_some_and(|t| matches!(t.fold.as_str(), "i" | "we")),
        _ => false,
    }
}

/// Whether the phrase is disowned later in the message as sent by mistake: "ignore
/// that/this/it", "scratch that", "disregard", "wrong chat" after it ("stop sending me,
/// oh hang on, no ignore that, that was meant for the gym app", "I said NO MORE
/// MESSAGES... to my ex 😂 wrong chat"). "wrong number" is not one: it is the
/// stranger's stop ("wrong number, stop texting me").
fn disowned(tokens: &[Token], hit: &RuleHit) -> bool {
    let fold = |i: usize| tokens.get(i).map(|t| t.fold.as_str());
    (hit.last + 1..tokens.len()).any(|i| match fold(i) {
        Some("ignore" | "disregard") => {
            matches!(fold(i + 1), None | Some("that" | "this" | "it"))
        }
        Some("scratch") => fold(i + 1) == Some("that"),
        Some("wrong") => fold(i + 1) == Some("chat"),
        _ => false,
    })
}

/// Whether Hindi "wala tha" (was about to) follows the phrase in its clause, after at
/// most one light verb: "unsubscribe karne wala tha, but this offer accha hai", "stop
/// karne wali thi but…".
fn about_to_after(tokens: &[Token], hit: &RuleHit) -> bool {
    let clause = tokens[hit.last].clause;
    let at = |i: usize| tokens.get(i).filter(|t| t.clause == clause);
    let fold = |i: usize| at(i).map(|t| t.fold.as_str());
    let wala = |i: usize| matches!(fold(i), Some("wala" | "wali" | "vala" | "vali" | "wale"));
    let tha = |i: usize| matches!(fold(i), Some("tha" | "thi" | "the"));
    let w = if wala(hit.last + 1) {
        hit.last + 1
    } else if at(hit.last + 1).is_some_and(|t| starts_with_any(t, &[LIGHT_VERBS]))
        && wala(hit.last + 2)
    {
        hit.last + 2
    } else {
        return false;
    };
    tha(w + 1)
}

/// Whether the phrase stops a format, not the messages: a word of [`FORMATS`] in the
/// four words after it in its clause, no marketing noun there, and later in the message
/// a request to have it written ("por escrito", "in writing", "written", "write it",
/// "write things out", "type the amount", "write to me", "txt pls", "text only"):
/// "para de mandar áudio, manda por escrito", "could you stop sending me audios and
/// write it please?", "ya no me mandes audios, mándame todo por escrito". Without the
/// request it stays a stop ("chega de áudio", "ya no me mande fotos de muebles diario"),
/// and so does one of promotions ("para de mandar áudio de promoção").
fn stops_a_format(tokens: &[Token], hit: &RuleHit) -> bool {
    let clause = tokens[hit.last].clause;
    let after = &tokens[hit.last + 1..];
    let written = after
        .iter()
        .enumerate()
        .any(|(k, t)| match t.fold.as_str() {
            "escrito" | "escrita" | "writing" | "written" | "escriban" | "escribe" | "escriba"
            | "escribime" | "escribeme" | "escribanme" | "escreve" | "escrevam" | "escreva" => true,
            // Two clitics: "escríbamelo", "escribímelo", "escríbanmela".
            w if (w.starts_with("escrib") || w.starts_with("escrev"))
                && (w.ends_with("melo") || w.ends_with("mela") || w.ends_with("noslo")) =>
            {
                true
            }
            // "write it", "write me the info", "write to me", "write things out", not
            // "don't write me";
            // "just type it", "type the amount here".
            // "stop sending voice notes, txt pls", "text only": text asked for at the
            // end of the message or before a please.
            "txt" | "text" => after.get(k + 1).is_none_or(|n| {
                matches!(
                    n.fold.as_str(),
                    "pls" | "plz" | "please" | "only" | "instead" | "porfa"
                )
            }),
            "write" | "type" => {
                let object = after[k + 1..].iter().take(2).any(|n| {
                    matches!(
                        n.fold.as_str(),
                        "it" | "them" | "me" | "us" | "the" | "things" | "everything" | "out"
                    )
                });
                let negated = k
                    .checked_sub(1)
                    .is_some_and(|p| after[p].marks.contains(Marks::NEGATOR));
                object && !negated
            }
            _ => false,
        });
    written
        && starts_near(tokens, hit.last + 1, clause, &[FORMATS])
        && !starts_near(tokens, hit.last + 1, clause, &[MARKETING_NOUNS])
}

/// Whether the phrase stops one channel while the message welcomes another: a stop of
/// sending ([`stops_sending`]), no marketing noun after it in its
/// clause, and a channel or "here" ([`CHANNELS`]) welcomed elsewhere in the message
/// ([`welcomed`]): "no me llamen, escríbanme por acá", "Kindly do not call, only message
/// on WhatsApp", "mandame todo por mail, por teléfono no me llames", "não me liguem,
/// só por este WhatsApp". The customer asks to end that contact, not all of it
/// ([`Scope::ONE_CHANNEL`]): a stop of calls still suspends marketing, but an agent
/// decides. A stop of promotions stays a stop ("no me manden promos, solo el estado de
/// cuenta por mail").
fn another_channel_welcome(tokens: &[Token], hit: &RuleHit) -> bool {
    let clause = tokens[hit.first].clause;
    let sending = stops_sending(tokens, hit);
    if !sending || starts_near(tokens, hit.last + 1, clause, &[MARKETING_NOUNS]) {
        return false;
    }
    (0..tokens.len()).any(|i| {
        let inside = (hit.first..=hit.last).contains(&i);
        !inside && CHANNELS.contains(&tokens[i].fold.as_str()) && welcomed(tokens, i, hit)
    })
}

/// Whether a phrase stops a sending or a call: a word of [`SENDING_VERBS`] in it, or
/// right after a one-word phrase in its clause ("stop texting", "stop calling me").
fn stops_sending(tokens: &[Token], hit: &RuleHit) -> bool {
    let clause = tokens[hit.last].clause;
    let next = (hit.first == hit.last)
        .then(|| tokens.get(hit.last + 1))
        .flatten()
        .filter(|t| t.clause == clause);
    tokens[hit.first..=hit.last]
        .iter()
        .chain(next)
        .any(|t| starts_with_any(t, &[SENDING_VERBS]))
}

/// Whether the stop sends the contact elsewhere rather than ending it: a stop of sending
/// or calling, and in a later clause that neither negates, stops nor reports a sending,
/// another person or number asked for ("no me escriban a mí, háblenle a él", "write to
/// my wife instead", "manda pra minha filha", "actualicen mi contacto al 0414 …"), or
/// another time accepted ("evenings are fine", "en la noche sí"). The stop is bounded to
/// that person, number or time, whatever widens it ("no me llamen más, en la tarde sí").
/// A stop of promotions is bounded by another time ("domingo não me manda mais
/// promoção, durante a semana pode") but not by another person: the promotions are
/// still refused.
fn redirected(tokens: &[Token], hit: &RuleHit) -> bool {
    if !stops_sending(tokens, hit) {
        return false;
    }
    let promotions = starts_near(
        tokens,
        hit.last + 1,
        tokens[hit.last].clause,
        &[MARKETING_NOUNS],
    );
    // From the clause after the stop's first word: a phrase read across a comma ("stop
    // texting me, write to my wife") ends past it.
    let first = tokens[hit.first].clause;
    let mut at = hit.first + 1;
    while at < tokens.len() {
        let clause = tokens[at].clause;
        let end = tokens[at..]
            .iter()
            .position(|t| t.clause != clause)
            .map_or(tokens.len(), |k| at + k);
        let words = &tokens[at..end];
        if clause != first && plain(words) && (later(words) || (!promotions && elsewhere(words))) {
            return true;
        }
        at = end;
    }
    false
}

/// Whether the stop declines one thing and asks for another: a demonstrative standing
/// alone right after the phrase, closing its clause, and "otro", "outra", "another" or
/// "other" in a later clause ("não quero mais esse, tem outro em azul?", "no quiero más
/// esa, ¿tenés otra?"). The customer turns down that item, not the messages; a
/// demonstrative with a noun ("não quero mais esse tipo de mensagem, nem outro") names
/// what is stopped.
fn another_one_asked(tokens: &[Token], hit: &RuleHit) -> bool {
    let clause = tokens[hit.last].clause;
    let this = tokens
        .get(hit.last + 1)
        .is_some_and(|t| t.clause == clause && DEMONSTRATIVES.contains(&t.fold.as_str()));
    let alone = tokens.get(hit.last + 2).is_none_or(|t| t.clause != clause);
    this && alone
        && tokens[hit.last + 2..]
            .iter()
            .any(|t| OTHER_ONES.contains(&t.fold.as_str()))
}

/// Words that ask for another item than the one named.
const OTHER_ONES: &[&str] = &[
    "otro", "otra", "otros", "otras", "outro", "outra", "outros", "outras", "another", "other",
    "others",
];

/// Whether nothing in a clause negates, stops or reports a sending.
fn plain(words: &[Token]) -> bool {
    !words
        .iter()
        .any(|t| t.marks.contains(Marks::NEGATOR) || stops_or_sent(t))
}

/// Whether a word stops a sending ("stop", "pare") or reports one made ([`SENT`]): a
/// clause holding it does not welcome another channel or person.
fn stops_or_sent(t: &Token) -> bool {
    let fold = t.fold.as_str();
    SENT.contains(&fold) || matches!(fold, "stop" | "pare" | "parem" | "paren" | "quit")
}

/// Whether a clause asks to contact another person or number: a verb of sending or
/// speaking with "le"/"les"/"lhe" on it ("escríbanle", "háblenle", "llámenle"), a verb
/// of sending before "my"/"mi"/"minha" and a person ([`PEOPLE`]), or a verb of updating
/// before a contact noun ("actualicen mi contacto", "update my number", "troca o número").
fn elsewhere(words: &[Token]) -> bool {
    let speaking: &[&[&str]] = &[SENDING_VERBS, &["habl", "fal", "contact"]];
    words.iter().enumerate().any(|(k, t)| {
        let fold = t.fold.as_str();
        let clitic = starts_with_any(t, speaking)
            && fold.len() > 5
            && (fold.ends_with("le") || fold.ends_with("les") || fold.ends_with("lhe"));
        let rest = &words[k + 1..];
        let to_someone = starts_with_any(t, speaking)
            && rest.iter().take(4).enumerate().any(|(j, p)| {
                PEOPLE.contains(&p.fold.as_str())
                    && j > 0
                    && matches!(
                        rest[j - 1].fold.as_str(),
                        "my" | "mi" | "minha" | "meu" | "mis" | "her" | "his"
                    )
            });
        let updated = starts_with_any(
            t,
            &[&[
                "actualic", "atualiz", "update", "cambi", "troca", "troque", "change",
            ]],
        ) && rest
            .iter()
            .take(3)
            .any(|c| starts_with_any(c, &[&["numer", "number", "contact", "contat", "cel"]]));
        clitic || to_someone || updated
    })
}

/// Whether a clause accepts another time: a word of [`ACCEPTS`] (or "works") and a time
/// of the week or the day ("evenings are fine", "durante a semana pode", "en la tarde
/// sí", "after lunch works").
fn later(words: &[Token]) -> bool {
    // "si" accepts only closing the clause ("en la noche sí"); before it is "if"
    // ("avísenme si cancelan mi clase del jueves").
    let accepted = words
        .iter()
        .enumerate()
        .any(|(k, t)| match t.fold.as_str() {
            "si" => k + 1 == words.len(),
            "works" => true,
            fold => ACCEPTS.contains(&fold),
        });
    accepted
        && words
            .iter()
            .any(|t| DAYPARTS.contains(&t.fold.as_str()) || t.marks.contains(Marks::TIME_LIMIT))
}

/// Whether the channel at `at` is welcomed: a word of [`WELCOMES`] or a request to send
/// ([`asks_to_send`]) within the four words before it, or a word of [`ACCEPTS`] in the
/// two after it, all in its clause. In the stop's own clause only after a welcome that
/// follows the stop ("no me llamen por favor prefiero mensaje"); in another clause only
/// when nothing in that clause negates, stops or reports a sending ("no me llamen, y
/// por whatsapp tampoco", "stop calling, I already told you on whatsapp"). A "no" right
/// before the channel is Portuguese "in the" ("me chama no zap").
fn welcomed(tokens: &[Token], at: usize, hit: &RuleHit) -> bool {
    let clause = tokens[at].clause;
    let same = clause == tokens[hit.first].clause;
    let from = if same {
        if at < hit.last {
            return false;
        }
        (at.saturating_sub(4)).max(hit.last + 1)
    } else {
        at.saturating_sub(4)
    };
    let before = tokens[from..at].iter().filter(|t| t.clause == clause);
    // "só por este WhatsApp": "só" folds to "so", read as "only" before a route only.
    let only_route = |i: usize| {
        tokens[i].fold == "so"
            && tokens.get(i + 1).is_some_and(|n| {
                matches!(
                    n.fold.as_str(),
                    "por" | "pelo" | "pela" | "aqui" | "no" | "na" | "via"
                )
            })
    };
    let welcome = before.clone().any(|t| WELCOMES.contains(&t.fold.as_str()))
        || (from..at).any(|i| tokens[i].clause == clause && only_route(i))
        || (from..at).any(|i| tokens[i].clause == clause && asks_to_send(tokens, i));
    // "por whats sí", "whatsapp is ok": the acceptance right after, or after one verb.
    let accepted = tokens[at + 1..]
        .iter()
        .take(2)
        .take_while(|t| t.clause == clause)
        .any(|t| ACCEPTS.contains(&t.fold.as_str()));
    if !(welcome || accepted) {
        return false;
    }
    // Negators before the channel or just after it ("por whatsapp tampoco", "ni me
    // manden mensajes"), not in a reason further on ("solo por whatsapp que el correo ni
    // lo reviso"); in the stop's own clause, only those after the stop.
    let pt_in = |i: usize| i + 1 == at && tokens[i].fold == "no";
    let clause_start = tokens[..at]
        .iter()
        .rposition(|t| t.clause != clause)
        .map_or(0, |i| i + 1);
    let start = if same { hit.last + 1 } else { clause_start };
    !tokens[start..]
        .iter()
        .enumerate()
        .take_while(|(_, t)| t.clause == clause)
        .any(|(k, t)| {
            let i = start + k;
            (t.marks.contains(Marks::NEGATOR) && !pt_in(i) && i <= at + 2) || stops_or_sent(t)
        })
}

/// Whether the word at `at` asks to be sent something: an imperative of
/// [`SEND_IMPERATIVES`], a verb of sending with a pronoun on it or right after it
/// ("escríbanme", "mándame", "text me", "send it", "write me"), or after "me" opening
/// its clause and not a report ending in "n" ("me manda", "me avisa", but not "me
/// mandan").
fn asks_to_send(tokens: &[Token], at: usize) -> bool {
    let t = &tokens[at];
    let fold = t.fold.as_str();
    if SEND_IMPERATIVES.contains(&fold) {
        return true;
    }
    if !starts_with_any(t, &[SENDING_VERBS, &["avis", "habl", "fal"]]) || SENT.contains(&fold) {
        return false;
    }
    let pronoun_on = fold.len() > 4 && (fold.ends_with("me") || fold.ends_with("nos"));
    let pronoun_after = tokens
        .get(at + 1)
        .filter(|n| n.clause == t.clause)
        .is_some_and(|n| matches!(n.fold.as_str(), "me" | "it" | "them" | "us"));
    // "me manda" opening its clause (or after a welcome) asks; inside a clause it
    // reports ("cada día me manda cinco mensajes").
    let after_me = at.checked_sub(1).is_some_and(|i| {
        tokens[i].fold == "me"
            && tokens[i].clause == t.clause
            && i.checked_sub(1).is_none_or(|j| {
                tokens[j].clause != t.clause || WELCOMES.contains(&tokens[j].fold.as_str())
            })
    }) && !fold.ends_with('n');
    pronoun_on || pronoun_after || after_me
}

/// "nada de" right before a stop that is not a verb of sending ("e nada de cancelar,
/// tô com fome", "nada de darme de baja"): no stopping. "nada de mandar mensagem"
/// forbids the sending and stays a request.
fn nothing_of(tokens: &[Token], at: usize) -> bool {
    at >= 2
        && tokens[at - 1].fold == "de"
        && tokens[at - 2].fold == "nada"
        && tokens[at - 1].clause == tokens[at].clause
        && !starts_with_any(&tokens[at], &[SENDING_VERBS])
}

/// Whether a Hindi or Urdu negator follows the phrase in its clause, right after it or
/// after one light verb ("unsubscribe nahi karna", "band mat karo mera account", "maine
/// stop nahi bola tha", "unsubscribe karna nahi hai"): Hindi negates after the word
/// it negates, so [`negated`] (which looks before) cannot see it. "nahi to" is
/// "otherwise" and "nahi chahiye" is "don't want": both keep the stop ("band karo nahi
/// to block kar dunga", "ye spam nahi chahiye").
fn negated_after(tokens: &[Token], hit: &RuleHit) -> bool {
    let clause = tokens[hit.last].clause;
    let at = |i: usize| tokens.get(i).filter(|t| t.clause == clause);
    let negator = |i: usize| at(i).is_some_and(|t| POST_NEGATORS.contains(&t.fold.as_str()));
    let light_verb = |i: usize| at(i).is_some_and(|t| starts_with_any(t, &[LIGHT_VERBS]));
    let neg = if negator(hit.last + 1) {
        hit.last + 1
    } else if light_verb(hit.last + 1) && negator(hit.last + 2) {
        hit.last + 2
    } else {
        return false;
    };
    !at(neg + 1).is_some_and(|t| t.fold == "to" || t.fold.starts_with("chah"))
}

/// Whether "not that" ("no es que", "não é que") opens the phrase's sentence part at
/// most six words before it and a contrast follows it in the sentence: "not that I want
/// to unsubscribe, but how many emails a week?", "no es que quiera darme de baja, pero
/// son muchos mensajes". The stop is denied, and what follows the "but" is the request.
/// The words of the frame stand together in one clause: a "no" answering the agent
/// before a comma ("no, es que quiero darme de baja, pero gracias") frames nothing.
fn not_that_but(tokens: &[Token], hit: &RuleHit, sentence: &std::ops::Range<usize>) -> bool {
    let from = hit.first.saturating_sub(6);
    let before = &tokens[from..hit.first];
    let together = |w: &[Token]| w.iter().all(|t| t.clause == w[0].clause);
    let opens = before.windows(2).any(|w| {
        w[0].start >= sentence.start
            && together(w)
            && matches!((w[0].fold.as_str(), w[1].fold.as_str()), ("not", "that"))
    }) || before.windows(3).any(|w| {
        w[0].start >= sentence.start
            && together(w)
            && matches!(
                (w[0].fold.as_str(), w[1].fold.as_str(), w[2].fold.as_str()),
                ("no" | "nao", "es" | "e", "que")
            )
    });
    opens
        && rest_of_sentence(tokens, hit, sentence)
            .iter()
            .any(|t| t.marks.contains(Marks::CONTRAST))
}

/// Whether "can't", "cannot" or "couldn't" stands right before the phrase in its
/// clause: "cant stop using it", "my mom couldn't stop talking about you" say what
/// someone is unable to help doing, not a request to stop. Only right before: these
/// words are not negators of the model's features ("can't log in" asks for help with
/// logging in, not against it).
fn cannot_before(tokens: &[Token], at: usize) -> bool {
    at.checked_sub(1).is_some_and(|i| {
        tokens[i].clause == tokens[at].clause
            && matches!(
                tokens[i].fold.as_str(),
                "cant" | "cannot" | "couldnt" | "cudnt"
            )
    })
}

/// Hindi and Urdu negators that follow the verb they negate ("nahi", "nahin", "nai";
/// "mat" for a command). Not "na", also Tagalog "already" and Portuguese "in the".
const POST_NEGATORS: &[&str] = &["nahi", "nahin", "nai", "nahee", "mat"];

/// Starts of Hindi light verbs between a borrowed verb and its negator ("stop karna
/// nahi", "unsubscribe kiya nahi", "stop bola nahi").
const LIGHT_VERBS: &[&str] = &["kar", "kiy", "kia", "bol", "hon", "hua", "hu"];

/// Whether the phrase is one word written with the accent of a Spanish past tense of
/// "parar": "paré" (I stopped), "paró" (it stopped): "ya voy bajando, paré en doble
/// fila", "se paró la app". Folded they are "pare"/"paro", a request ("pare de
/// mandar"); written with the accent they report.
fn accented_past_of_parar(text: &str, tokens: &[Token], hit: &RuleHit) -> bool {
    // Compared char by char: no allocation for every one-word phrase.
    let raw = |t: &Token| text[t.start..t.end].chars().flat_map(char::to_lowercase);
    hit.first == hit.last
        && ["paré", "paró"]
            .iter()
            .any(|w| raw(&tokens[hit.first]).eq(w.chars()))
}

/// Whether the phrase is "stop" after "full": the British full stop, "and that's
/// that" ("last price bolo bhai, full stop", "no discounts, full stop").
fn full_stop(tokens: &[Token], hit: &RuleHit) -> bool {
    hit.first == hit.last
        && tokens[hit.first].fold == "stop"
        && hit.first.checked_sub(1).is_some_and(|i| {
            tokens[i].fold == "full" && tokens[i].clause == tokens[hit.first].clause
        })
}

/// The other branch of a condition opens within the five words before: "if not,",
/// "si no,", "se não,", "senão", "otherwise", "de lo contrario", "caso contrário"
/// ("can you do 20% off? if not, remove me from the list" bargains; the stop is the
/// price of a refusal, not a request yet). "If not" must close its clause or come right
/// before the phrase: "si no me escriben más…" is a plain condition on another verb.
fn otherwise(text: &str, tokens: &[Token], at: usize) -> bool {
    let from = at.saturating_sub(5);
    (from..at).any(|i| {
        let t = &tokens[i];
        let next = tokens.get(i + 1);
        match t.fold.as_str() {
            "otherwise" | "senao" => true,
            "contrario" => i > 0 && matches!(tokens[i - 1].fold.as_str(), "lo" | "caso"),
            "if" | "si" | "se" => {
                let means_if = t.fold != "si" || plain_si(text, t);
                // "si no pues ya no me escribas": a filler may follow.
                let mut close = i + 2;
                while close < at && CONDITION_FILLERS.contains(&tokens[close].fold.as_str()) {
                    close += 1;
                }
                means_if
                    && next.is_some_and(|n| {
                        matches!(n.fold.as_str(), "not" | "no" | "nao")
                            && (close == at
                                || tokens
                                    .get(close)
                                    .is_some_and(|a| a.clause != tokens[close - 1].clause))
                    })
            }
            _ => false,
        }
    })
}

/// Whether a "si" token is written "si" ("if"), not "sí" ("yes") folded to it.
fn plain_si(text: &str, t: &Token) -> bool {
    text[t.start..t.end].eq_ignore_ascii_case("si")
}

/// Words that may follow "if not" before what it opens.
const CONDITION_FILLERS: &[&str] = &["pues", "entonces", "entao", "then", "so", "ya", "ja"];

/// Whether the phrase's verb is a past form of its keyword, not after "ser"/"be"
/// ("quiero ser desuscribido" still asks): "me desuscribí", "me tiraram da lista",
/// "parei de receber".
fn reported(text: &str, tokens: &[Token], hit: &RuleHit) -> bool {
    stopped_receiving(text, tokens, hit)
        || own_habit(tokens, hit)
        || (hit.first..=hit.last).any(|at| {
            tokens[at].marks.contains(Marks::PAST_FORM)
                && !at.checked_sub(1).is_some_and(|i| {
                    matches!(
                        tokens[i].fold.as_str(),
                        "ser" | "seja" | "sea" | "be" | "fique" | "quedar"
                    )
                })
        })
}

/// Whether "don't send"/"do not call" says what the writer does, not what the business
/// should: "I"/"we" right before it and a verb of sending right after the negation
/// ("Delete the beneficiary from my favorites, I don't send to her anymore"). "I don't
/// want you to send me…" asks.
fn own_habit(tokens: &[Token], hit: &RuleHit) -> bool {
    let first = &tokens[hit.first];
    let verb = match first.fold.as_str() {
        "dont" => hit.first + 1,
        "do" if tokens.get(hit.first + 1).is_some_and(|t| t.fold == "not") => hit.first + 2,
        _ => return false,
    };
    let subject = hit.first.checked_sub(1).map(|i| &tokens[i]);
    subject.is_some_and(|s| s.clause == first.clause && matches!(s.fold.as_str(), "i" | "we"))
        && tokens
            .get(verb)
            .is_some_and(|t| starts_with_any(t, &[SENDING_VERBS]))
}

/// "dejé de recibir" ("I stopped receiving"): Spanish "dejé" folds to "deje", the formal
/// imperative of "deje de mandar" — so it is a past form when written with its accent,
/// or when what was stopped is receiving, which no one asks a business to stop doing
/// ("deje de recibir sus ofertas, ¿me sacaron?").
fn stopped_receiving(text: &str, tokens: &[Token], hit: &RuleHit) -> bool {
    let t = &tokens[hit.first];
    t.fold == "deje"
        && (text[t.start..t.end].to_lowercase().ends_with('é')
            || tokens
                .get(hit.first + 2)
                .is_some_and(|r| tokens[hit.first + 1].fold == "de" && r.fold.starts_with("recib")))
}

/// Whether "no me molesta(n)" / "não me incomoda(m)" states that something does not
/// bother the writer ("no me molesta que me escriban", "não me incomoda receber")
/// instead of asking not to be bothered ("no me molesten", "não me incomode"), which a
/// one-letter typo would otherwise match. Spanish indicative forms always state; the
/// Portuguese ones do before an infinitive, "que", "isso" or a determiner and its noun
/// ("não me incomoda o tanto de mensagem"; Brazilian speech also uses them as the
/// request: "não me incomoda mais").
fn says_it_does_not_bother(tokens: &[Token], hit: &RuleHit) -> bool {
    let last = tokens[hit.last].fold.as_str();
    if BOTHERS_ES.contains(&last) {
        return true;
    }
    BOTHERS_PT.contains(&last)
        && tokens
            .get(hit.last + 1)
            .filter(|t| t.clause == tokens[hit.last].clause)
            .is_some_and(|t| {
                t.fold == "que"
                    || t.fold == "isso"
                    || infinitive(t)
                    || DETERMINERS.contains(&t.fold.as_str())
            })
}

/// Spanish indicative forms of "molestar" and "incomodar" (it bothers / they bother);
/// "incomoda" is Portuguese too, and left to [`BOTHERS_PT`].
const BOTHERS_ES: &[&str] = &[
    "molesta",
    "molestan",
    "molestaba",
    "molestaban",
    "incomodan",
    "incomodaba",
    "incomodaban",
];

/// Portuguese indicative forms of "incomodar" and "perturbar".
const BOTHERS_PT: &[&str] = &[
    "incomoda",
    "incomodam",
    "incomodava",
    "incomodavam",
    "perturba",
    "perturbam",
];

/// Whether a stop is followed by "de" and an infinitive that is not a verb of sending
/// or contact ("vou parar de fumar", "ya basta de esperar"), or ends in "de" before one
/// ("chega de pensar, fecha aí"), with "tanto" between or not ("chega de tanto
/// esperar"): it stops something else.
/// A pronoun may come between when the verb is one of charging ("parem de me cobrar
/// essa tarifa").
/// "para de mandar", "chega de mensagem", "para de me ligar" stay requests.
/// So does one followed by "de" or "with" and a grievance ("basta de excusas", "chega
/// das desculpas", "stop with the excuses": [`GRIEVANCES`]).
/// So does one followed by some of *that* thing, named, when nothing in the rest of its
/// clause is a message ("no me manden más de ese pan", "não quero mais desse pão de
/// forma": [`goods_follow`]).
fn stops_something_else(tokens: &[Token], hit: &RuleHit) -> bool {
    let clause = tokens[hit.last].clause;
    let next = |k: usize| tokens.get(hit.last + k).filter(|t| t.clause == clause);
    if a_grievance_follows(tokens, hit) || goods_follow(tokens, hit) {
        return true;
    }
    let (de, at) = if tokens[hit.last].fold == "de" && hit.first < hit.last {
        (true, 1)
    } else {
        (next(1).is_some_and(|t| t.fold == "de"), 2)
    };
    // "chega de tanto esperar": "tanto" only says how much.
    let at = if next(at).is_some_and(|t| matches!(t.fold.as_str(), "tanto" | "tanta")) {
        at + 1
    } else {
        at
    };
    if !de {
        return stops_doing_else(tokens, hit);
    }
    let other_verb =
        |t: &Token| infinitive(t) && !starts_with_any(t, &[SENDING_VERBS, ONGOING_VERBS]);
    // "parem de me cobrar essa tarifa": a pronoun, then a verb of charging. Other verbs
    // after a pronoun are about the person ("para de me encher", "pare de me oferecer").
    next(at).is_some_and(other_verb)
        || (next(at).is_some_and(|t| CLITICS.contains(&t.fold.as_str()))
            && next(at + 1).is_some_and(|t| other_verb(t) && starts_with_any(t, &[CHARGING_VERBS])))
}

/// Whether a bare "stop" is followed in its clause by a verb in "-ing" that is not one of
/// sending, receiving, reaching or pestering ([`PESTERING`]) nor a kind of contact or
/// marketing, and nothing after it in the clause names the writer
/// ("me", "us", "my", "our"), a contact or marketing: "stop looking, I go take it",
/// "stop worrying, it's paid", the English of "vou parar de fumar". "stop texting",
/// "stop bugging me", "stop harassing me" and "stop wasting my time" stay
/// requests.
fn stops_doing_else(tokens: &[Token], hit: &RuleHit) -> bool {
    let clause = tokens[hit.last].clause;
    let in_clause = |i: usize| tokens.get(i).filter(|t| t.clause == clause);
    hit.first == hit.last
        && tokens[hit.first].fold == "stop"
        && in_clause(hit.last + 1).is_some_and(|t| {
            t.kind == TokenKind::Word
                && t.fold.len() >= 5
                && t.fold.ends_with("ing")
                && !starts_with_any(
                    t,
                    &[
                        SENDING_VERBS,
                        ONGOING_VERBS,
                        PESTERING,
                        CONTACT_NOUNS,
                        MARKETING_NOUNS,
                    ],
                )
        })
        && !(hit.last + 2..tokens.len()).map_while(in_clause).any(|t| {
            matches!(t.fold.as_str(), "me" | "us" | "my" | "our" | "mine")
                || starts_with_any(t, &[SENDING_VERBS, CONTACT_NOUNS, MARKETING_NOUNS])
        })
}

/// Starts of English verbs of reaching or pestering a person, beside [`SENDING_VERBS`]:
/// after "stop" they ask for contact to end even with no one named ("stop pestering, I
/// said no", "stop ringing, I'm at work").
const PESTERING: &[&str] = &[
    "pester", "bug", "harass", "bother", "annoy", "disturb", "hound", "nag", "hassl", "badger",
    "ring", "phon", "ping", "dm", "mail", "whatsap",
];

/// Portuguese "de" joined to a demonstrative ("desse pão", "dessas").
const OF_THAT: &[&str] = &[
    "desse", "dessa", "desses", "dessas", "deste", "desta", "destes", "destas",
];

/// How many words after a stop its partitive ("de ese", "desse") may start.
const PARTITIVE_WINDOW: usize = 4;

/// Words after "de ese"/"desse" that name no thing, beside [`PLEASE`]: thanks and
/// fillers ("no me manden más de esos por favor" leaves the thing unnamed).
const NOT_A_THING: &[&str] = &[
    "gracias", "obrigado", "obrigada", "valeu", "mas", "mais", "pues", "pe", "po", "che", "no",
    "nao", "ni", "nem", "nunca", "jamas", "tampoco", "que", "q", "eh", "ok",
];

/// Whether a Spanish or Portuguese partitive with a demonstrative ("de ese", "desse")
/// starts within [`PARTITIVE_WINDOW`] words after the phrase in its clause, the word
/// after the demonstrative names a thing, and no word after it in the clause names
/// messages or marketing ([`CONTACT_NOUNS`], [`MARKETING_NOUNS`]): the stop is of some
/// of a product ("no me manden más de ese pan"), not of the messages ("no me manden más
/// de esas promociones" stays a stop). Unnamed ("no me manden más de esos", English "no
/// more of these") it stays a stop: replying to a broadcast, "these" are the messages.
fn goods_follow(tokens: &[Token], hit: &RuleHit) -> bool {
    let clause = tokens[hit.last].clause;
    let in_clause = |i: usize| tokens.get(i).filter(|t| t.clause == clause);
    let fold = |i: usize| in_clause(i).map(|t| t.fold.as_str());
    let start = (hit.last + 1..=hit.last + PARTITIVE_WINDOW).find_map(|i| {
        let word = fold(i)?;
        if OF_THAT.contains(&word) {
            Some(i + 1)
        } else if word == "de" && fold(i + 1).is_some_and(|d| DEMONSTRATIVES.contains(&d)) {
            Some(i + 2)
        } else {
            None
        }
    });
    let Some(noun) = start else {
        return false;
    };
    let names_a_thing = in_clause(noun).is_some_and(|t| {
        t.fold.chars().count() >= 3
            && t.fold.chars().all(char::is_alphabetic)
            && !PLEASE.contains(&t.fold.as_str())
            && !NOT_A_THING.contains(&t.fold.as_str())
    });
    names_a_thing
        && !(noun..tokens.len())
            .map_while(in_clause)
            .any(|t| starts_with_any(t, &[CONTACT_NOUNS, MARKETING_NOUNS]))
}

/// Whether "de"/"with" (ending the phrase or right after it), a determiner or not, then
/// a noun of [`GRIEVANCES`] follow the phrase in its clause.
fn a_grievance_follows(tokens: &[Token], hit: &RuleHit) -> bool {
    let clause = tokens[hit.last].clause;
    let next = |k: usize| tokens.get(hit.last + k).filter(|t| t.clause == clause);
    let link = |t: &Token| matches!(t.fold.as_str(), "de" | "das" | "dos" | "da" | "with");
    let at = if hit.first < hit.last && link(&tokens[hit.last]) {
        1
    } else if next(1).is_some_and(link) {
        2
    } else {
        return false;
    };
    let at = if next(at).is_some_and(|t| DETERMINERS.contains(&t.fold.as_str())) {
        at + 1
    } else {
        at
    };
    next(at).is_some_and(|t| starts_with_any(t, &[GRIEVANCES]))
}

/// Whether the phrase is a bare "cancelar"/"cancel" after a verb of wanting or "pode"
/// ([`ALLOWING`]), with nothing after it in its clause but a "please" or a "then"
/// ("quero cancelar", "quiero cancelar por favor", "I need to cancel", "pode cancelar
/// então"): what is to be cancelled is not said (a plan, an
/// order, a booking), so it is no stop by itself. Named, the object decides: "quero
/// cancelar as mensagens" stays a request, "quero cancelar meu cartão" is bounded by
/// [`other_object`].
fn wants_to_cancel_unnamed(tokens: &[Token], hit: &RuleHit) -> bool {
    if hit.first != hit.last || !matches!(tokens[hit.first].fold.as_str(), "cancelar" | "cancel") {
        return false;
    }
    let clause = tokens[hit.first].clause;
    let in_clause = |i: usize| Some(&tokens[i]).filter(|t| t.clause == clause);
    // "want *to* cancel", "gostaria *de* cancelar": the wanting verb one word further.
    let before = hit.first.checked_sub(1).and_then(in_clause);
    let before = match before {
        Some(t) if matches!(t.fold.as_str(), "to" | "de") => {
            hit.first.checked_sub(2).and_then(in_clause)
        }
        other => other,
    };
    let wanting = before
        .is_some_and(|t| WANTING.contains(&t.fold.as_str()) || ALLOWING.contains(&t.fold.as_str()));
    let nothing_after = tokens[hit.last + 1..]
        .iter()
        .take_while(|t| t.clause == clause)
        .filter(|t| t.kind == TokenKind::Word)
        .all(|t| PLEASE.contains(&t.fold.as_str()) || CONDITION_FILLERS.contains(&t.fold.as_str()));
    wanting && nothing_after
}

/// "You may" before a bare "cancelar", an answer to the agent ("não pedi esse cartão,
/// pode cancelar", "pode cancelar então"): what to cancel is what was just discussed.
const ALLOWING: &[&str] = &["pode", "podem", "puede", "pueden", "podes"];

/// Verbs of wanting or needing before an infinitive (folded).
const WANTING: &[&str] = &[
    "quiero", "queria", "quisiera", "necesito", "deseo", "gustaria", "quero", "preciso",
    "gostaria", "desejo", "want", "need", "like", "wanna",
];

/// Words of politeness or urgency that add no object after a verb.
const PLEASE: &[&str] = &[
    "por", "favor", "porfa", "porfavor", "pf", "pfv", "pls", "plz", "please", "plis", "ya", "ja",
];

/// Object pronouns that may stand between "de" and its verb ("pare de *me* ligar").
const CLITICS: &[&str] = &["me", "nos", "te", "lhe", "le", "les"];

/// Whether the phrase is one word that is also an everyday word ([`EVERYDAY_STOPS`]:
/// "baja", "chega", "stop").
pub(crate) fn everyday_word(tokens: &[Token], hit: &RuleHit) -> bool {
    hit.first == hit.last && EVERYDAY_STOPS.contains(&tokens[hit.first].fold.as_str())
}

/// Whether the phrase is the one word "spam", which is also a folder.
pub(crate) fn spam_word(tokens: &[Token], hit: &RuleHit) -> bool {
    hit.first == hit.last && tokens[hit.first].fold.starts_with("spam")
}

/// Whether the phrase is one of [`EVERYDAY_STOPS`] inside a question with other words in
/// its sentence: "chega em outras cores?", "baja un poco?". Alone, or in a sentence of
/// its own, it stays a stop ("¿otra vez? basta", "de novo? chega", "stop?").
fn everyday_word_in_question(
    text: &str,
    tokens: &[Token],
    hit: &RuleHit,
    sentence: &std::ops::Range<usize>,
) -> bool {
    everyday_word(tokens, hit)
        && text[sentence.clone()].contains('?')
        && tokens.iter().enumerate().any(|(i, t)| {
            i != hit.first
                && t.kind == TokenKind::Word
                && t.start >= sentence.start
                && t.end <= sentence.end
        })
}

/// Whether a one-word stop that opens the message (or follows only laughter or an
/// interjection: "hahaha stop 😂", "omg stop 😍") is an exclamation of delight, not a
/// request: "stop" (or "stop it", "pare", "basta") and then at most five words
/// with a sign of delight among them: a laughing or adoring emoji, laughter, or a
/// compliment ("stop it 😂", "stop! thats so cute 😍", "pare kkkk que lindo"), or at
/// most eight when the delight comes right after the stop ("stop!! 😂 that meme you
/// sent is too good"); and no word of sending, contact or marketing anywhere ("stop
/// texting me lol", "para de mandar msg kkkk" stay stops).
fn exclaimed(tokens: &[Token], hit: &RuleHit) -> bool {
    if hit.first != hit.last
        || !matches!(tokens[hit.first].fold.as_str(), "stop" | "pare" | "basta")
        || !tokens[..hit.first]
            .iter()
            .all(|t| delight(t) || INTERJECTIONS.contains(&t.fold.as_str()))
    {
        return false;
    }
    let rest = match tokens.get(hit.last + 1) {
        Some(t) if t.fold == "it" => &tokens[hit.last + 2..],
        _ => &tokens[hit.last + 1..],
    };
    let words = rest.iter().filter(|t| t.kind == TokenKind::Word).count();
    let at_once = rest
        .iter()
        .find(|t| t.kind != TokenKind::Symbol)
        .is_some_and(delight);
    words <= if at_once { 8 } else { 5 }
        && rest.iter().any(delight)
        && !tokens
            .iter()
            .any(|t| starts_with_any(t, &[SENDING_VERBS, CONTACT_NOUNS, MARKETING_NOUNS]))
}

/// Whether a token shows delight: a laughing or adoring emoji, laughter ("haha",
/// "jaja", "kkk", "rsrs", "lol", "lmao") or a compliment.
fn delight(t: &Token) -> bool {
    let w = t.fold.as_str();
    match t.kind {
        TokenKind::Emoji => DELIGHT_EMOJI.iter().any(|e| w.starts_with(e)),
        TokenKind::Word => {
            COMPLIMENTS.iter().any(|c| w.starts_with(c))
                || matches!(w, "lol" | "lmao" | "lmfao" | "rofl")
                || (w.len() >= 3
                    && ["ha", "ja", "rs", "he"].iter().any(|l| w.starts_with(l))
                    && w.as_bytes()
                        .chunks(2)
                        .all(|c| c == &w.as_bytes()[..2][..c.len()]))
                || (w.len() >= 3 && w.bytes().all(|b| b == b'k'))
        }
        TokenKind::Symbol => false,
    }
}

/// Interjections that may open an exclamation of delight ("omg stop 😂", "ag stop it 😂").
const INTERJECTIONS: &[&str] = &["oh", "omg", "ay", "ai", "aw", "aww", "ag", "oi", "ahh"];

/// Emoji of laughing or adoring.
const DELIGHT_EMOJI: &[&str] = &["😂", "🤣", "😆", "😍", "🥰", "🥹", "😻", "🤩"];

/// Starts of words of praise for what was shown ("so cute", "que lindo", "muito fofo").
const COMPLIMENTS: &[&str] = &[
    "cute",
    "adorable",
    "gorgeous",
    "beautiful",
    "amazing",
    "lind",
    "fofo",
    "fofa",
    "hermos",
    // "precioso"/"preciosa", not "precios" (prices).
    "precioso",
    "preciosa",
    "bonit",
    "divin",
    "maravill",
    "maravilh",
];

/// Whether a contrast later in the phrase's sentence asks for the marketing to go on:
/// "meu marido pediu pra sair da lista, mas eu quero continuar recebendo as promoções",
/// "paren, bueno no, sigan mandando las ofertas". The stop is someone else's, or taken
/// back. Going on with something else keeps it: "no me manden más promos, pero sigan
/// mandando el rastreo".
fn taken_back(tokens: &[Token], hit: &RuleHit, sentence: &std::ops::Range<usize>) -> bool {
    let after = rest_of_sentence(tokens, hit, sentence);
    let Some(contrast) = after.iter().position(|t| t.marks.contains(Marks::CONTRAST)) else {
        return false;
    };
    let rest = &after[contrast + 1..];
    rest.iter()
        .position(|t| starts_with_any(t, &[GOING_ON]))
        .is_some_and(|at| {
            rest[at + 1..]
                .iter()
                .take(5)
                .any(|t| starts_with_any(t, &[MARKETING_NOUNS]))
        })
}

/// The tokens after the phrase up to the end of its sentence.
fn rest_of_sentence<'t>(
    tokens: &'t [Token],
    hit: &RuleHit,
    sentence: &std::ops::Range<usize>,
) -> &'t [Token] {
    let after = &tokens[hit.last + 1..];
    let n = after.iter().take_while(|t| t.end <= sentence.end).count();
    &after[..n]
}

/// Whether an opt-out phrase is what an earlier message said, and its sentence takes
/// that back: "sobre aquela mensagem de sair da lista, desconsidera", "disregard my
/// message asking to unsubscribe", "olvida lo que te dije de darme de baja". A word for
/// a message, a verb of saying in the past, or the request named as a topic ("lo de…",
/// "that about…") stands at most four connecting words before the phrase, and a word
/// that withdraws (ignore, disregard, never mind, desconsiderar; a mistake owned: "me
/// equivoqué", "my mistake"; forget, olvidar, esquecer with what was said as their
/// object; a verb of going on before one of sending: "pode continuar mandando", "keep
/// sending") is in the sentence outside it. Said again ("ya les dije que no me escriban más") is
/// insistence, and giving up ("forget it, stop texting me") is not taking back.
fn withdrawn(tokens: &[Token], hit: &RuleHit, sentence: &std::ops::Range<usize>) -> bool {
    if hit.intent != super::Intent::OptOut {
        return false;
    }
    let mut i = hit.first;
    let mut between = 0;
    // "aquilo que escrevi…", "lo que te dije…": the saying is itself named as a thing,
    // and a bare verb of forgetting after the phrase then takes it back.
    let mut said_as_object = false;
    let reported = loop {
        let Some(prev) = i.checked_sub(1) else {
            break false;
        };
        let t = &tokens[prev];
        if t.start < sentence.start {
            break false;
        }
        let w = t.fold.as_str();
        if MESSAGE_NOUNS.contains(&w) {
            break true;
        }
        // "lo de que me borraran de la lista…", "that about the unsubscribe…": the
        // request named as a topic. Only a word that withdraws takes it back (a bare
        // "olvídalo" after "eso de mandarme mensajes" gives up on the messages).
        if matches!(w, "de" | "about" | "sobre")
            && prev
                .checked_sub(1)
                .is_some_and(|b| TOPIC_OPENERS.contains(&tokens[b].fold.as_str()))
        {
            break true;
        }
        if SAID.contains(&w) {
            let again = tokens[prev.saturating_sub(2)..prev]
                .iter()
                .any(|a| AGAIN.contains(&a.fold.as_str()));
            said_as_object = tokens[prev.saturating_sub(3)..prev]
                .iter()
                .any(|a| a.start >= sentence.start && SAYING_NAMED.contains(&a.fold.as_str()));
            break !again;
        }
        if between == 4 || !REPORT_LINKS.contains(&w) {
            break false;
        }
        between += 1;
        i = prev;
    };
    // "forget the unsub thing", "ignore my stop request": the phrase named as a thing
    // by a determiner before it and a noun of a request after it.
    let named_thing = hit.first.checked_sub(1).is_some_and(|b| {
        matches!(tokens[b].fold.as_str(), "the" | "that" | "this" | "my")
            && tokens[b].clause == tokens[hit.first].clause
    }) && tokens
        .get(hit.last + 1)
        .filter(|t| t.clause == tokens[hit.last].clause)
        .is_some_and(|t| REQUEST_NOUNS.contains(&t.fold.as_str()));
    (reported || named_thing)
        && tokens
            .iter()
            .enumerate()
            .filter(|(at, t)| {
                (*at < hit.first || *at > hit.last)
                    && t.start >= sentence.start
                    && t.end <= sentence.end
            })
            .any(|(at, t)| {
                let w = t.fold.as_str();
                let next = tokens.get(at + 1).filter(|n| n.clause == t.clause);
                WITHDRAWING.contains(&w)
                    || MISTAKEN.contains(&w)
                    || (lets_go_on(tokens, at)
                        && next.is_some_and(|n| starts_with_any(n, &[SENDING_VERBS])))
                    || (FORGETTING.contains(&w)
                        && (next.is_some_and(|n| FORGET_OBJECTS.contains(&n.fold.as_str()))
                            || (said_as_object && at > hit.last)))
                    || (w == "mind" && at > 0 && tokens[at - 1].fold == "never")
            })
}

/// Nouns after a phrase that make it the name of a request ([`withdrawn`]: "forget the
/// unsub thing", "ignore my stop request").
const REQUEST_NOUNS: &[&str] = &["thing", "stuff", "request", "message", "msg", "text", "bit"];

/// Words before "de"/"about"/"sobre" that make what follows a topic: "lo de", "eso de",
/// "isso de", "that about".
const TOPIC_OPENERS: &[&str] = &["lo", "eso", "esa", "isso", "aquilo", "aquello", "that"];

/// Words that say the earlier request was a mistake: "me equivoqué", "me confundí",
/// "me enganei", "errei", "my mistake".
const MISTAKEN: &[&str] = &[
    "equivoque",
    "confundi",
    "enganei",
    "errei",
    "mistake",
    "mistaken",
];

/// Pronouns that name what was said as a thing: "aquilo que escrevi", "lo que te dije",
/// "what I wrote".
const SAYING_NAMED: &[&str] = &["aquilo", "aquello", "lo", "o", "what", "isso", "eso"];

/// Words for a message or a request one sent ("that message", "mi mensaje de ayer").
const MESSAGE_NOUNS: &[&str] = &[
    "mensaje",
    "mensajes",
    "mensagem",
    "mensagens",
    "message",
    "messages",
    "msg",
    "msj",
    "text",
    "texto",
    "audio",
    "pedido",
    "request",
    "solicitud",
    "solicitacao",
];

/// Past verbs of saying or asking, first or third person.
///
/// Not `Marks::REPORT`: that list also holds present forms, and a stop reported in the
/// present is still asked for ("desconsidera, peço que me tirem da lista").
const SAID: &[&str] = &[
    "dije", "dijo", "escribi", "pedi", "puse", "mande", "falei", "disse", "escrevi", "mandei",
    "said", "wrote", "asked", "typed", "sent", "told",
];

/// Words that make a saying a repetition: "ya te dije", "já falei", "I already said".
const AGAIN: &[&str] = &["ya", "ja", "already", "again", "otra", "outra"];

/// Words that may stand between a message or a saying and what it said.
const REPORT_LINKS: &[&str] = &[
    "de",
    "the",
    "del",
    "sobre",
    "about",
    "of",
    "do",
    "da",
    "que",
    "lo",
    "o",
    "a",
    "me",
    "i",
    "to",
    "para",
    "pra",
    "pro",
    "te",
    "you",
    "u",
    "eu",
    "le",
    "lhe",
    "anterior",
    "earlier",
    "last",
    "ayer",
    "ontem",
    "yesterday",
    "antes",
    "before",
    "pidiendo",
    "pedindo",
    "asking",
    "diciendo",
    "dizendo",
    "saying",
    "se",
    "that",
    "where",
    "onde",
    "donde",
];

/// Whether the word at `at` lets the business go on: a plural imperative of going on
/// ("sigan", "continuem"), or a verb of going on within two words after one of being
/// able ("pode continuar", "pueden seguir", "you can keep"). "siguen mandando",
/// "continuam mandando", "you keep sending" report what still happens.
fn lets_go_on(tokens: &[Token], at: usize) -> bool {
    let t = &tokens[at];
    if GO_ON_IMPERATIVES.contains(&t.fold.as_str()) {
        return true;
    }
    starts_with_any(t, &[GOING_ON])
        && tokens[at.saturating_sub(2)..at]
            .iter()
            .any(|b| b.clause == t.clause && ABLE.contains(&b.fold.as_str()))
}

/// Plural imperatives of going on.
const GO_ON_IMPERATIVES: &[&str] = &["sigan", "continuen", "continuem"];

/// Verbs of being able, that make going on a permission.
const ABLE: &[&str] = &[
    "pode", "podem", "puede", "pueden", "podes", "can", "may", "could",
];

/// Words that withdraw what was said.
const WITHDRAWING: &[&str] = &[
    "desconsidera",
    "desconsidere",
    "desconsiderar",
    "desconsiderem",
    "desconsideren",
    "ignora",
    "ignore",
    "ignorar",
    "ignorem",
    "ignoren",
    "ignoralo",
    "ignorenlo",
    "disregard",
    "nevermind",
];

/// Verbs of forgetting: they withdraw what was said only with it as their object
/// ("forget what I said", "olvida lo que te dije", "esquece aquela mensagem"); alone
/// ("forget it", "olvídalo", "esquece") they give up on the business.
const FORGETTING: &[&str] = &[
    "forget",
    "olvida",
    "olvide",
    "olviden",
    "olvidate",
    "olvidalo",
    "olvidenlo",
    "esquece",
    "esqueca",
    "esquecam",
];

/// What a verb of forgetting takes when it withdraws a message.
const FORGET_OBJECTS: &[&str] = &[
    "what", "my", "that", "the", "about", "lo", "mi", "el", "ese", "esa", "eso", "del", "o", "a",
    "minha", "meu", "aquela", "aquele", "aquilo", "essa", "esse", "isso", "sobre",
];

/// Words after which a bare "no más" still means "no more" ("ya no más", "pero no más",
/// "no, no más"): every other word it follows in its clause it intensifies.
const STOP_LEADS: &[&str] = &[
    "ya", "y", "e", "pero", "que", "porfa", "favor", "gracias", "ok", "okay", "bueno", "listo",
    "please", "pls", "plis", "no", "stop", "basta", "chau", "hola", "buenas",
];

/// Whether the phrase is a bare "no más" right after a word of its clause that it
/// intensifies: "dale no más" and "envíelo no más" (Andean, Chilean, Mexican, Rioplatense
/// "nomás": go ahead, just), "así no más" (just so). A stop reads "ya no más", "no más".
fn intensifier(tokens: &[Token], hit: &RuleHit) -> bool {
    let words = &tokens[hit.first..=hit.last];
    let bare = words.len() == 2 && words[0].fold == "no" && words[1].fold == "mas";
    bare && hit.first.checked_sub(1).is_some_and(|i| {
        let before = &tokens[i];
        before.kind == TokenKind::Word
            && before.clause == words[0].clause
            && !STOP_LEADS.contains(&before.fold.as_str())
    })
}

/// Whether a time word bounds the phrase from before it: one or two words before, in
/// its clause ("hoy no me llamen, mañana sí", "today don't call"), not opening an
/// unbounded span ("desde hoy", "desde el lunes", "from today"), not made emphatic ("hoy mismo"), and not
/// widened by "más"/"again"/"never" in or after the phrase ("hoy no me escriban más").
fn limited_before(tokens: &[Token], hit: &RuleHit) -> bool {
    let clause = tokens[hit.first].clause;
    let time = (hit.first.saturating_sub(2)..hit.first)
        .find(|&i| tokens[i].clause == clause && tokens[i].marks.contains(Marks::TIME_LIMIT));
    let Some(time) = time else {
        return false;
    };
    // "desde hoy", "desde el lunes", "from next monday": a FROM word one or two before.
    let opens_span = (time.saturating_sub(2)..time)
        .any(|i| tokens[i].clause == clause && tokens[i].marks.contains(Marks::FROM));
    let emphatic = tokens[time + 1..hit.first]
        .iter()
        .any(|t| matches!(t.fold.as_str(), "mismo" | "mesmo" | "same"));
    !opens_span && !emphatic && !widened(tokens, hit)
}

/// Whether a word after the phrase's first, in its clause, widens a stop bounded by a
/// time back to every time ("hoy no me escriban más", "today don't call me again").
fn widened(tokens: &[Token], hit: &RuleHit) -> bool {
    let clause = tokens[hit.first].clause;
    tokens[hit.first + 1..]
        .iter()
        .take_while(|t| t.clause == clause)
        .any(|t| TIME_WIDENERS.contains(&t.fold.as_str()))
}

/// Whether a daily window or a period bounds the phrase: within seven words before or
/// four after it in its clause, a word of [`WINDOW_OPENERS`] with an hour in the three
/// words after it ("a partir de las 8 de la noche no me escriban", "don't text me after
/// 9pm", "não me liguem antes das 10") or a word of [`TIMES_OF_DAY`] ("não me liguem
/// muito cedo"); or a word of [`DURING`] within eight words before it or
/// [`DURING_AFTER`] after it in its clause ("durante mi licencia no me llamen", "while
/// I'm abroad don't call", "don't text me during service"; not "mientras tanto"), unless
/// something widens it to every time ("de noche ya no me escriban más"); or a period named with a demonstrative within four words ("no more calls this
/// week", "ese día no me escriban").
fn daily_or_period(tokens: &[Token], hit: &RuleHit) -> bool {
    let clause = tokens[hit.first].clause;
    let in_clause = |t: &&Token| t.clause == clause;
    let near = |i: usize| tokens[i].clause == clause;
    let hour = |t: &Token| {
        is_hour(t.fold.as_str())
            || (t.fold.len() <= 2
                && t.fold.bytes().all(|b| b.is_ascii_digit())
                && t.fold.parse::<u8>().is_ok_and(|h| (1..=24).contains(&h)))
    };
    let window = |i: usize| {
        near(i)
            && (TIMES_OF_DAY.contains(&tokens[i].fold.as_str())
                || (WINDOW_OPENERS.contains(&tokens[i].fold.as_str())
                    && tokens[i + 1..]
                        .iter()
                        .take(3)
                        .take_while(in_clause)
                        .any(hour)))
    };
    // "a partir de las 8 de la noche no me escriban": the opener seven words back.
    let daily = (hit.first.saturating_sub(7)..hit.first)
        .chain(hit.last + 1..(hit.last + 5).min(tokens.len()))
        .any(window);
    let opens_period = |i: usize| {
        DURING.contains(&tokens[i].fold.as_str())
            && tokens.get(i + 1).is_none_or(|n| n.fold != "tanto")
    };
    let during = (hit.first.saturating_sub(8)..hit.first)
        .rev()
        .take_while(|&i| near(i))
        .any(opens_period)
        || (hit.last + 1..(hit.last + 1 + DURING_AFTER).min(tokens.len()))
            .take_while(|&i| near(i))
            .any(opens_period);
    // "no more calls this week", "ese día no me escriban", "in this period".
    let period = |i: usize| {
        near(i)
            && PERIODS.contains(&tokens[i].fold.as_str())
            && i.checked_sub(1).is_some_and(|d| {
                let d = tokens[d].fold.as_str();
                DEMONSTRATIVES.contains(&d) || IN_THIS.contains(&d)
            })
    };
    let this_period = (hit.first.saturating_sub(4)..hit.first)
        .chain(hit.last + 1..(hit.last + 5).min(tokens.len()))
        .any(period);
    this_period || ((daily || during) && !widened(tokens, hit))
}

/// Portuguese "em" joined to a demonstrative, before a period ("nesse período não me
/// liguem", "nesta semana").
const IN_THIS: &[&str] = &["nesse", "nessa", "neste", "nesta", "naquele", "naquela"];

/// How many words after a stop a word of [`DURING`] still opens the period it holds for
/// ("don't text me during service", "no me llamen durante el partido").
const DURING_AFTER: usize = 3;

/// How many words after a phrase a time word still bounds it.
const TIME_LIMIT_WINDOW: usize = 3;

/// Whether the phrase is bounded: a time word within [`TIME_LIMIT_WINDOW`] words after
/// it in its clause, or just before it ([`limited_before`]); for a stop only, a window
/// of hours or a period ([`daily_or_period`]), the contact sent to another person,
/// number or time ([`redirected`]), one item declined for another
/// ([`another_one_asked`]), or a stop of another action, a document, a thing, a role,
/// the staff, a waiting list or a format ([`stops_something_else`] and the checks after
/// it); an open-ended phrase acting on something other than messages; "spam" as the
/// folder; or a "not interested" (its last word starts with `interes`) narrowed by the
/// word right after it or by a demonstrative and noun before it.
fn limited(tokens: &[Token], hit: &RuleHit) -> bool {
    let clause = tokens[hit.last].clause;
    let after = tokens[hit.last + 1..]
        .iter()
        .take_while(|t| t.clause == clause);
    if after
        .take(TIME_LIMIT_WINDOW)
        .any(|t| t.marks.contains(Marks::TIME_LIMIT))
    {
        return true;
    }
    if limited_before(tokens, hit) {
        return true;
    }
    // Windows, other people, other items and what else a stop acts on (another action,
    // a document, a thing, a role, the staff, a waiting list, a format) bound a stop
    // only: reading them for every phrase of every intent cost a tenth of the
    // classifier's speed, and then an eighth more (BENCHMARKS.md).
    if hit.intent == super::Intent::OptOut
        && (daily_or_period(tokens, hit)
            || redirected(tokens, hit)
            || another_one_asked(tokens, hit)
            || stops_something_else(tokens, hit)
            || stops_a_document(tokens, hit)
            || removed_from_a_thing(tokens, hit)
            || removed_as_a_role(tokens, hit)
            || sends_a_thing(tokens, hit)
            || stops_staff_or_bot(tokens, hit)
            || a_waiting_list(tokens, hit)
            || stops_a_format(tokens, hit))
    {
        return true;
    }
    if open_ended(tokens, hit) && other_object(tokens, hit.last + 1, clause) {
        return true;
    }
    if in_a_place(tokens, hit)
        || none_left(tokens, hit)
        || spam_names_a_kind(tokens, hit)
        || wants_to_cancel_unnamed(tokens, hit)
        || interest_free(tokens, hit)
    {
        return true;
    }
    tokens[hit.last].fold.starts_with("interes")
        && (narrowed(tokens, hit.last + 1, clause)
            || unless_follows(tokens, hit.last + 1, clause)
            || named_before(tokens, hit.first)
            || (tokens.get(hit.last + 1).is_some_and(infinitive)
                && specific_object(tokens, hit.last + 1, clause)))
}

/// Whether a phrase ending in "more" ("no more", "no más", "não tem mais") is followed
/// in its clause by a word of stock, or by "in stock": "no more left?", "no more in
/// stock in size 10?", "no más disponibles?" ask whether any of an item is left, not
/// for the messages to end.
fn none_left(tokens: &[Token], hit: &RuleHit) -> bool {
    if !is_more(&tokens[hit.last]) {
        return false;
    }
    let clause = tokens[hit.last].clause;
    let next = |k: usize| tokens.get(hit.last + k).filter(|t| t.clause == clause);
    let word = if next(1).is_some_and(|t| matches!(t.fold.as_str(), "in" | "en" | "em")) {
        next(2)
    } else {
        next(1)
    };
    word.is_some_and(|t| STOCK_WORDS.contains(&t.fold.as_str()))
}

/// Words of an item's stock after "no more" ([`none_left`]), folded.
const STOCK_WORDS: &[&str] = &[
    "left",
    "available",
    "stock",
    "instock",
    "remaining",
    "quedan",
    "queda",
    "disponible",
    "disponibles",
    "estoque",
    "disponivel",
    "disponiveis",
    "sobrando",
];

/// Whether "no interest" is the interest of a payment, not interest in the offer:
/// "financing with no interest?", "12 cuotas no interest?", "3x no interest",
/// "6 months no interest", "no interest financing". Within three words before it, in
/// its clause: "with", a number, a count of months or instalments, a word of paying or
/// financing; or right after it a word of paying or financing.
fn interest_free(tokens: &[Token], hit: &RuleHit) -> bool {
    let words = &tokens[hit.first..=hit.last];
    if !(words.len() == 2 && words[0].fold == "no" && words[1].fold == "interest") {
        return false;
    }
    let clause = words[0].clause;
    let payment = |t: &Token| {
        let w = t.fold.as_str();
        PAYMENT_WORDS.contains(&w)
            || t.is_number()
            || w.strip_suffix('x')
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    tokens[hit.first.saturating_sub(3)..hit.first]
        .iter()
        .filter(|t| t.clause == clause)
        .any(|t| t.fold == "with" || payment(t))
        || tokens
            .get(hit.last + 1)
            .is_some_and(|t| t.clause == clause && payment(t))
}

/// Words of paying in parts or financing, around an "interest" that is a rate.
const PAYMENT_WORDS: &[&str] = &[
    "months",
    "month",
    "meses",
    "mes",
    "cuotas",
    "cuota",
    "parcelas",
    "installments",
    "installment",
    "instalments",
    "instalment",
    "financing",
    "finance",
    "financed",
    "pay",
    "payments",
    "payment",
    "plan",
    "credit",
    "loan",
    "msi",
];

/// Whether a condition opens within [`UNLESS_WINDOW`] words from `at`, in `clause` or
/// the one after it: "not interested, unless you do 20 % off", "não tenho interesse
/// nenhum a menos que tirem a anuidade", "no me interesa a no ser que sea sin cuota".
/// A refusal with a price on it is a counteroffer, not a stop.
fn unless_follows(tokens: &[Token], at: usize, clause: u32) -> bool {
    let rest = &tokens[at.min(tokens.len())..];
    let span = &rest[..rest.iter().take_while(|t| t.clause <= clause + 1).count()];
    (0..span.len().min(UNLESS_WINDOW + 1)).any(|i| {
        UNLESS_OPENERS.iter().any(|opener| {
            span.len() - i >= opener.len()
                && span[i..]
                    .iter()
                    .zip(opener.iter())
                    .all(|(t, w)| t.fold == *w)
        })
    })
}

/// How many words after "not interested" a condition may open.
const UNLESS_WINDOW: usize = 3;

/// Words that open a condition ("unless", "a menos que", "a não ser que", "salvo que").
const UNLESS_OPENERS: &[&[&str]] = &[
    &["unless"],
    &["a", "menos", "que"],
    &["a", "no", "ser", "que"],
    &["a", "nao", "ser", "que"],
    &["salvo", "que"],
    &["salvo", "se"],
    &["exceto", "se"],
];

/// Whether a stop is about a bill or statement, not messages: a document named within
/// [`DOCUMENT_WINDOW`] words after the phrase in its clause, and no kind of contact or
/// marketing there ("unsubscribe me from paper statements, I only want them online",
/// "não quero mais receber a fatura em papel"; but "stop the promos and the paper
/// statements" stays a request, as does a phrase that names the messages itself, "stop
/// sending me promos and paper statements"). Going paperless is a setting of the account.
fn stops_a_document(tokens: &[Token], hit: &RuleHit) -> bool {
    let clause = tokens[hit.last].clause;
    let window = || {
        tokens[hit.last + 1..]
            .iter()
            .take_while(|t| t.clause == clause)
            .take(DOCUMENT_WINDOW)
    };
    let words: Vec<&str> = window().map(|t| t.fold.as_str()).collect();
    // "los estados de cuenta en papel": Spanish names the statement in three words.
    let statement = words
        .windows(3)
        .any(|w| w[0].starts_with("estado") && w[1] == "de" && w[2].starts_with("cuenta"));
    // "stop sending me promos and paper statements": the phrase names the messages.
    let names_messages = tokens[hit.first..=hit.last]
        .iter()
        .any(|t| starts_with_any(t, &[CONTACT_NOUNS, MARKETING_NOUNS]));
    (statement || window().any(|t| starts_with_any(t, &[DOCUMENTS])))
        && !names_messages
        && !window().any(|t| starts_with_any(t, &[CONTACT_NOUNS, MARKETING_NOUNS]))
}

/// How many words after a stop a document may be named.
const DOCUMENT_WINDOW: usize = 5;

/// Starts of the names of bills and statements.
const DOCUMENTS: &[&str] = &[
    "statement",
    "extracto",
    "extrato",
    "fatura",
    "factura",
    "boleta",
    "boleto",
    "invoice",
    "resumen",
    "cartola",
    "paper",
    "papel",
    "recibo",
    "impres",
];

/// Whether `t` is a Spanish or Portuguese infinitive, with or without a pronoun joined
/// ("cambiar", "cambiarme", "trocar").
fn infinitive(t: &Token) -> bool {
    let w = t.fold.as_str();
    let stem = ["me", "se", "lo", "la", "te"]
        .iter()
        .find_map(|p| w.strip_suffix(p).filter(|s| s.len() >= 4))
        .unwrap_or(w);
    t.kind == TokenKind::Word
        && stem.len() >= 4
        && ["ar", "er", "ir"].iter().any(|e| stem.ends_with(e))
}

/// Whether the words from `at` name one specific thing a refusal is about ("no me
/// interesa *cambiarme de plan*", "no interest in *refinancing* my house"): a word,
/// not a universal ("nada", "anything"), and no kind of contact nor a verb of going
/// on receiving it in the four words from there ("no me interesa *recibir*", "not
/// interested in *hearing* from you", "em *continuar* recebendo").
fn specific_object(tokens: &[Token], at: usize, clause: u32) -> bool {
    let in_clause = |i: usize| tokens.get(i).filter(|t| t.clause == clause);
    let first = in_clause(at)
        .is_some_and(|t| t.kind == TokenKind::Word && !UNIVERSALS.contains(&t.fold.as_str()));
    first && !starts_near(tokens, at, clause, &[CONTACT_NOUNS, ONGOING_VERBS])
}

/// Whether one of the four words from `at` (in `clause`) starts with a stem on one of
/// `lists`.
fn starts_near(tokens: &[Token], at: usize, clause: u32, lists: &[&[&str]]) -> bool {
    tokens
        .iter()
        .skip(at)
        .take(4)
        .filter(|t| t.clause == clause)
        .any(|t| starts_with_any(t, lists))
}

/// Whether `t` is "more" ("más", "mais"; folded "mas" is also "but", which the callers'
/// positions rule out).
fn is_more(t: &Token) -> bool {
    MORE.contains(&t.fold.as_str())
}

/// Whether `t` starts with a stem on one of `lists`.
fn starts_with_any(t: &Token, lists: &[&[&str]]) -> bool {
    lists
        .iter()
        .flat_map(|l| l.iter())
        .any(|c| t.fold.starts_with(c))
}

/// Whether a demonstrative and a noun (two to four words before `at`, in its clause)
/// name what a refusal is about: "esa promo no me interesa", "essa promoção de
/// ingresso não me interessa". A bare "eso no me interesa" is not named.
fn named_before(tokens: &[Token], at: usize) -> bool {
    let clause = tokens[at].clause;
    (at.saturating_sub(4)..at.saturating_sub(1))
        .any(|i| tokens[i].clause == clause && DEMONSTRATIVES.contains(&tokens[i].fold.as_str()))
}

/// A phrase that can take an object after it: one word ("cancelar", "stop"), or one
/// ending in a verb of wanting or in "more" ("no quiero", "no quiero más").
fn open_ended(tokens: &[Token], hit: &RuleHit) -> bool {
    hit.first == hit.last
        || matches!(tokens[hit.last].fold.as_str(), "quiero" | "quero" | "want")
        || is_more(&tokens[hit.last])
}

/// Whether what the phrase takes out is taken out of a thing, not the customer out of a
/// list: "from"/"off" (or "frm", "of" as learners write it: "remove my son of the car
/// policy"; Spanish and Portuguese "de", "del", "da", "do": "saquen mi numero viejo de la
/// cuenta") ending the phrase or within four words after it, no kind of contact or
/// marketing near, then a thing as [`names_a_thing`] reads it ("remove my sister from
/// the order", "remove my daughter from the family plan"; "remove my number from the
/// order" and "remove my dad from the list" stay requests).
fn removed_from_a_thing(tokens: &[Token], hit: &RuleHit) -> bool {
    let clause = tokens[hit.last].clause;
    let in_clause = |i: usize| tokens.get(i).filter(|t| t.clause == clause);
    let at = hit.last + 1;
    // "take me off" ends with its own "off". Called for stops only ([`limited`]), so
    // the Spanish and Portuguese "de", everywhere in those languages, is read too.
    let Some(from) = (hit.last..at + 4).find(|&i| {
        in_clause(i).is_some_and(|t| {
            matches!(
                t.fold.as_str(),
                "from" | "frm" | "off" | "of" | "de" | "del" | "da" | "do"
            )
        })
    }) else {
        return false;
    };
    if starts_near(tokens, at, clause, &[CONTACT_NOUNS, MARKETING_NOUNS]) {
        return false;
    }
    names_a_thing(tokens, from + 1, clause, true)
}

/// Whether the phrase takes someone out of a role on an account, not off a list: "as"
/// or "como" right after it or after the one or two words naming the person, then a
/// word of [`ROLES`] among the three words after that: "Remove me as joint holder on my
/// mother's account", "take me off as cosigner on the loan", "Please remove my wife as
/// nominee". "remove me as a contact" stays a request.
fn removed_as_a_role(tokens: &[Token], hit: &RuleHit) -> bool {
    let clause = tokens[hit.last].clause;
    let in_clause = |i: usize| tokens.get(i).filter(|t| t.clause == clause);
    (hit.last + 1..hit.last + 4)
        .find(|&i| in_clause(i).is_some_and(|t| matches!(t.fold.as_str(), "as" | "como")))
        .is_some_and(|as_at| {
            (as_at + 1..as_at + 4)
                .any(|i| in_clause(i).is_some_and(|t| starts_with_any(t, &[ROLES])))
        })
}

/// Starts of the roles a person holds on an account or a policy: holder, signatory,
/// beneficiary, guarantor, authorised user, dependant.
const ROLES: &[&str] = &[
    "holder",
    "titular",
    "cotitular",
    "signator",
    "firmante",
    "beneficiar",
    "nominee",
    "guarantor",
    "garante",
    "fiador",
    "avalista",
    "authori",
    "autoriz",
    "dependent",
    "dependient",
    "cosign",
];

/// Whether a stop's verb of sending (or receiving) sends a thing, not messages: "stop
/// sending the box, I'm cancelling", "stop sending me the box", "não quero mais receber
/// a caixa" (the verb the phrase's last word or the word after it; then "me"/"us" and a
/// thing as [`names_a_thing`] reads it). "stop sending the newsletter", "stop sending
/// me offers" and "não quero mais receber" stay requests.
fn sends_a_thing(tokens: &[Token], hit: &RuleHit) -> bool {
    let clause = tokens[hit.last].clause;
    let in_clause = |i: usize| tokens.get(i).filter(|t| t.clause == clause);
    let sending = |i: usize| {
        in_clause(i).is_some_and(|t| starts_with_any(t, &[SENDING_VERBS, RECEIVING_VERBS]))
    };
    let more = |i: usize| in_clause(i).is_some_and(is_more);
    // "não me mandem mais" ends with its own "more".
    let ends_with_more = more(hit.last) && hit.last > hit.first && sending(hit.last - 1);
    let mut j = if sending(hit.last) || ends_with_more {
        hit.last + 1
    } else if sending(hit.last + 1) {
        hit.last + 2
    } else {
        return false;
    };
    if in_clause(j).is_some_and(|t| matches!(t.fold.as_str(), "me" | "us")) {
        j += 1;
    }
    // "stop sending me more of the boxes": "more" before the thing.
    let after_more = ends_with_more || more(j);
    if more(j) {
        j += 1;
    }
    // After "more" only a determiner opens the thing ("não me mandem mais o token");
    // a verb there says why they call ("não me liguem mais oferecendo garantia").
    if after_more && !in_clause(j).is_some_and(|t| DETERMINERS.contains(&t.fold.as_str())) {
        return false;
    }
    !starts_near(tokens, j, clause, &[CONTACT_NOUNS, MARKETING_NOUNS])
        && names_a_thing(tokens, j, clause, false)
}

/// Whether a stop is of a bot or of the staff sent, not of messages: right after the
/// phrase in its clause, at most two words of "with"/"con"/"com"/"al"/"ao" or a determiner, then a
/// bot or a member of the staff who comes to the customer ([`STAFF`]), and no kind of
/// contact or marketing after it in the clause: "human please, stop with this bot",
/// "para de mandar esse entregador, ele foi grosso", "stop sending the driver, I'll pick
/// it up". "stop sending me the bot messages" and "stop calling me, your bot is useless"
/// stay stops.
fn stops_staff_or_bot(tokens: &[Token], hit: &RuleHit) -> bool {
    let clause = tokens[hit.last].clause;
    let in_clause = |i: usize| tokens.get(i).filter(|t| t.clause == clause);
    let opener = |t: &Token| {
        matches!(t.fold.as_str(), "with" | "con" | "com" | "al" | "ao")
            || DETERMINERS.contains(&t.fold.as_str())
    };
    let mut at = hit.last + 1;
    while at < hit.last + 3 && in_clause(at).is_some_and(opener) {
        at += 1;
    }
    in_clause(at).is_some_and(|t| starts_with_any(t, &[STAFF]))
        && !(at + 1..tokens.len())
            .map_while(in_clause)
            .any(|t| starts_with_any(t, &[CONTACT_NOUNS, MARKETING_NOUNS]))
}

/// Starts of the words for a bot and for the staff a business sends to the customer
/// ([`stops_staff_or_bot`]). Not sellers: "stop sending your salesman" stops contact.
const STAFF: &[&str] = &[
    "bot",
    "chatbot",
    "robot",
    "robo",
    "entregador",
    "repartidor",
    "motoboy",
    "motoquero",
    "motoqueiro",
    "courier",
    "driver",
    "tecnico",
    "technician",
];

/// Whether a word starts like one of [`THINGS`] and is not one of the words that only
/// share the start ("cardápio", a menu sent as marketing, is no "card").
fn thing(t: &Token) -> bool {
    starts_with_any(t, &[THINGS]) && !t.fold.starts_with("cardap")
}

/// Starts of verbs of receiving, which name what is sent from the other side
/// ([`sends_a_thing`]).
const RECEIVING_VERBS: &[&str] = &["recib", "receb", "receiv"];

/// Whether the words from `at` name a thing: only determiners or possessives, then a
/// thing, or one word describing it first ("the family plan", "the shared account"),
/// or, when `two_describers` and a determiner opens them, two ("from the weekly coffee
/// delivery": after "from" they describe; after a verb they may be a topic, "stop
/// texting me about the warranty"); and no word after it that makes it a list ("the
/// order updates list", "the order group").
fn names_a_thing(tokens: &[Token], at: usize, clause: u32, two_describers: bool) -> bool {
    let in_clause = |i: usize| tokens.get(i).filter(|t| t.clause == clause);
    let mut j = at;
    while in_clause(j).is_some_and(|t| {
        DETERMINERS.contains(&t.fold.as_str())
            || matches!(t.fold.as_str(), "my" | "your" | "our" | "his" | "her")
    }) {
        j += 1;
    }
    let two_describers = two_describers && j > at;
    let listed = |i: usize| {
        in_clause(i).is_some_and(|t| starts_with_any(t, &[CONTACT_NOUNS, MARKETING_NOUNS, LISTS]))
    };
    let thing_at = |i: usize| in_clause(i).is_some_and(thing) && !listed(i + 1);
    thing_at(j)
        || (!listed(j) && thing_at(j + 1))
        || (two_describers && !listed(j) && !listed(j + 1) && thing_at(j + 2))
}

/// Whether the list the phrase takes the customer out of is a waiting list: a list word
/// (the phrase's last word or one of the five after it, in its clause: "unsubscribe of
/// the waiting list") with "waiting" or "wait" right before it or "de espera" right
/// after it, or "waitlist" ("tira meu nome da lista de espera da peça", "take me off the
/// waiting list, I bought it elsewhere"). Leaving the queue for an item is not a stop of
/// messages; "tira meu nome da lista" stays one.
fn a_waiting_list(tokens: &[Token], hit: &RuleHit) -> bool {
    let clause = tokens[hit.last].clause;
    let in_clause = |i: usize| tokens.get(i).filter(|t| t.clause == clause);
    (hit.last..hit.last + 6).any(|i| {
        let Some(t) = in_clause(i) else {
            return false;
        };
        let w = t.fold.as_str();
        let waiting_before = i
            .checked_sub(1)
            .and_then(in_clause)
            .is_some_and(|b| matches!(b.fold.as_str(), "waiting" | "wait"));
        let de_espera = in_clause(i + 1).is_some_and(|n| n.fold == "de")
            && in_clause(i + 2).is_some_and(|n| n.fold == "espera");
        w.starts_with("waitlist") || (w.starts_with("list") && (waiting_before || de_espera))
    })
}

/// Starts of the words for what a customer is taken out of when they stop: a list or
/// a group (a broadcast, a WhatsApp group).
const LISTS: &[&str] = &["list", "group", "grupo", "broadcast", "difus"];

/// Whether an open-ended phrase acts on something other than messages: a determiner
/// or possessive right after it, or a thing named at once ("cancelar pedido"), and no
/// kind of contact in the three words from there
/// ("cancelar meu cartão", "no quiero más esas deudas"; but "stop the daily
/// deals", "descadastrar meu número" stay requests), or another verb after "más"
/// ("não quero mais pagar ele"; "no quiero más recibir nada" stays one).
fn other_object(tokens: &[Token], at: usize, clause: u32) -> bool {
    let in_clause = |i: usize| tokens.get(i).filter(|t| t.clause == clause);
    let opens = in_clause(at).is_some_and(|t| t.marks.contains(Marks::OPENS_OBJECT));
    let named = in_clause(at + 1).is_some_and(|n| n.kind == TokenKind::Word);
    let before = at.checked_sub(1).map(|i| &tokens[i]);
    // "no quiero más deudas", "no more problems": a plural noun after "más"/"more".
    let plural_after_more = || {
        before.is_some_and(is_more)
            && in_clause(at).is_some_and(|t| {
                t.kind == TokenKind::Word
                    && t.fold.len() >= 5
                    && t.fold.ends_with('s')
                    && !UNIVERSALS.contains(&t.fold.as_str())
            })
    };
    // "não quero mais pagar ele", "no quiero más ir": another verb after "más", not one
    // of sending or receiving.
    // "não quero mais que fique cadastrado": "que" and a clause with no sending,
    // receiving or contact in it.
    let verb_after_more = || {
        let after_more = before.is_some_and(|t| matches!(t.fold.as_str(), "mas" | "mais"));
        let other_verb = in_clause(at)
            .is_some_and(|t| infinitive(t) && !starts_with_any(t, &[SENDING_VERBS, ONGOING_VERBS]));
        let other_clause = in_clause(at).is_some_and(|t| t.fold == "que")
            && in_clause(at + 1).is_some()
            && !starts_near(
                tokens,
                at + 1,
                clause,
                &[SENDING_VERBS, ONGOING_VERBS, CONTACT_NOUNS, MARKETING_NOUNS],
            );
        after_more && (other_verb || other_clause)
    };
    // "cancelar pedido", "stop payment": a thing named at once, terse, no determiner.
    // "baja de tarjeta adicional", "sair da conta", "salir del menú", "salir de la
    // fila", "chega com esse pedido": the same after "de" or "with" and a determiner.
    let thing = || {
        let mut at = at;
        if in_clause(at).is_some_and(|t| {
            matches!(
                t.fold.as_str(),
                "de" | "del" | "do" | "da" | "com" | "con" | "with"
            )
        }) {
            at += 1;
            if in_clause(at).is_some_and(|t| DETERMINERS.contains(&t.fold.as_str())) {
                at += 1;
            }
        }
        in_clause(at).is_some_and(thing)
    };
    // Checked last: eighty prefixes for each of four words.
    ((opens && named) || plural_after_more() || verb_after_more() || thing())
        && !starts_near(tokens, at, clause, &[CONTACT_NOUNS])
}

/// Whether "spam", the one keyword that is also a place, names the spam folder: after
/// a preposition, with at most a determiner between ("los mails me llegan a spam",
/// "went to spam", "going to my spam folder", "la carpeta de spam"), or before a folder
/// word ("spam folder", "spam box"), or after a verb of looking ("ya revisé spam",
/// "checked my spam"). Spanish "no spam" asks for none, so "no" right
/// before it is not taken as "in the" (Portuguese "no meu spam" is, with its determiner).
fn in_a_place(tokens: &[Token], hit: &RuleHit) -> bool {
    if !spam_word(tokens, hit) {
        return false;
    }
    let t = &tokens[hit.first];
    let same_clause = |u: &&Token| u.clause == t.clause;
    let before = |back: usize| {
        hit.first
            .checked_sub(back)
            .map(|i| &tokens[i])
            .filter(same_clause)
    };
    let preposition = |u: &Token| {
        matches!(
            u.fold.as_str(),
            "a" | "al" | "en" | "em" | "na" | "no" | "in" | "into" | "to" | "pro" | "pra" | "del"
        )
    };
    let determiner = |u: &Token| SPAM_DETERMINERS.contains(&u.fold.as_str());
    let folder_after = tokens
        .get(hit.first + 1)
        .filter(same_clause)
        .is_some_and(|u| SPAM_FOLDERS_AFTER.contains(&u.fold.as_str()));
    let after_preposition = match (before(1), before(2)) {
        (Some(p), _) if p.fold != "no" && preposition(p) => true,
        // "la carpeta de spam", "caixa de spam"
        (Some(de), Some(f)) if de.fold == "de" => SPAM_FOLDERS_BEFORE.contains(&f.fold.as_str()),
        (Some(d), Some(p)) => determiner(d) && preposition(p),
        _ => false,
    };
    // "ya revisé spam", "checked my spam", "olhei o spam": the folder one looks in.
    let looking = |u: &Token| starts_with_any(u, &[LOOKING_VERBS]);
    let after_looking = match (before(1), before(2)) {
        (Some(v), _) if looking(v) => true,
        (Some(d), Some(v)) => determiner(d) && looking(v),
        _ => false,
    };
    folder_after || after_preposition || after_looking
}

/// Whether the phrase is the one word "spam" right before a kind of call or message in
/// its clause: "getting spam calls in your name", "spam call aa rahe", "spam texts from
/// a number like yours" name what arrived (a report, often a fraud worry), not a
/// request. "stop the spam" and "no more spam" do not name a kind.
fn spam_names_a_kind(tokens: &[Token], hit: &RuleHit) -> bool {
    spam_word(tokens, hit)
        && tokens
            .get(hit.last + 1)
            .filter(|u| u.clause == tokens[hit.last].clause)
            .is_some_and(|u| SPAM_KINDS_AFTER.contains(&u.fold.as_str()))
}

/// Kinds of call or message named after "spam".
const SPAM_KINDS_AFTER: &[&str] = &[
    "call", "calls", "caller", "callers", "message", "messages", "msg", "msgs", "sms", "text",
    "texts", "mail", "mails", "email", "emails", "link", "links",
];

/// Whether the phrase is the one word "spam" after a copula within three words in its
/// clause, in a question: "is this spam?", "is this message spam or is it really from
/// you?", "¿es spam?", "é spam isso?" ask what a message is. "why do you send spam?"
/// has no copula and stays a complaint.
fn spam_asked(tokens: &[Token], hit: &RuleHit) -> bool {
    let clause = tokens[hit.first].clause;
    spam_word(tokens, hit)
        && tokens[hit.first.saturating_sub(3)..hit.first]
            .iter()
            .any(|t| t.clause == clause && COPULAS.contains(&t.fold.as_str()))
}

/// Forms of "to be" that open a question about what something is.
const COPULAS: &[&str] = &["is", "es", "e", "eh", "era", "was", "are", "son", "sao"];

/// Starts of verbs of looking in a folder, before "spam" ("revisé spam", "checked my
/// spam", "olhei o spam").
const LOOKING_VERBS: &[&str] = &[
    "revis", "chec", "check", "look", "mire", "olh", "verific", "busq", "busc", "procur", "search",
];

/// Words between a preposition and "spam" naming whose folder it is.
const SPAM_DETERMINERS: &[&str] = &[
    "my", "the", "your", "mi", "la", "el", "su", "meu", "minha", "o", "seu", "sua",
];

/// Nouns after a keyword that make it the name of a link or button ("the unsubscribe
/// link", "the stop button"); Spanish and Portuguese name the thing first ("el botón
/// de baja"), which [`Marks::MENTION`] covers.
const UI_NOUNS_AFTER: &[&str] = &["link", "links", "button", "buttons", "option", "page"];

/// Folders named before "de spam".
const SPAM_FOLDERS_BEFORE: &[&str] = &["carpeta", "bandeja", "caixa", "pasta"];

/// Words after "spam" that make it the folder.
const SPAM_FOLDERS_AFTER: &[&str] = &["folder", "box", "filter", "tray"];

/// Whether the token at `at` (in `clause`) narrows the refusal before it.
fn narrowed(tokens: &[Token], at: usize, clause: u32) -> bool {
    let Some(t) = tokens.get(at).filter(|t| t.clause == clause) else {
        return false;
    };
    if !t.marks.contains(Marks::NARROWS) {
        return false;
    }
    let next = tokens.get(at + 1).filter(|n| n.clause == clause);
    if next.is_some_and(|n| UNIVERSALS.contains(&n.fold.as_str())) {
        return false;
    }
    // A currency sign ("£300") starts a clause of its own: look past it.
    let next = tokens.get(at + 1);
    match t.fold.as_str() {
        "in" | "en" | "em" | "at" => {
            next.is_some_and(|n| {
                DETERMINERS.contains(&n.fold.as_str())
                    || n.kind == TokenKind::Symbol
                    || n.fold.starts_with(|c: char| c.is_ascii_digit())
                    || starts_with_any(n, &[STOPPING])
            }) || specific_object(tokens, at + 1, clause)
        }
        _ => true,
    }
}

/// Starts of verbs of stopping or leaving: "not interested in *stopping* the texts",
/// "não tenho interesse em *sair* da lista" refuse the stop itself.
const STOPPING: &[&str] = &[
    "stopping",
    "unsubscrib",
    "leaving",
    "opting",
    "quitting",
    "dejar",
    "salir",
    "sair",
    "parar",
    "darme",
    "desuscrib",
    "descadastr",
];

/// Whether `text[start..end]` is joined to a word by a hyphen on either side, or by an
/// ampersand with or without a space around it, as capitalized names are ("Stop & Go",
/// "Stop&Shop"; "stop & remove me" is two requests).
fn hyphenated(text: &str, start: usize, end: usize) -> bool {
    let joined = |dash: Option<char>, word: Option<char>| {
        dash == Some('-') && word.is_some_and(char::is_alphanumeric)
    };
    let mut before = text[..start].chars().rev();
    let mut after = text[end..].chars();
    if joined(before.next(), before.next()) || joined(after.next(), after.next()) {
        return true;
    }
    text[start..].starts_with(char::is_uppercase)
        && (ampersand_then(text[..start].chars().rev(), char::is_alphanumeric)
            || ampersand_then(text[end..].chars(), char::is_uppercase))
}

/// Whether `side` opens with "&", a space on either side of it or not, and then a char
/// `then` accepts.
fn ampersand_then(side: impl Iterator<Item = char>, then: fn(char) -> bool) -> bool {
    let mut side = side.peekable();
    side.next_if_eq(&' ');
    side.next() == Some('&') && {
        side.next_if_eq(&' ');
        side.next().is_some_and(then)
    }
}

/// Ends a sentence.
fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '\n' | '¡' | '¿' | '…')
}

/// The byte range of the sentence holding `text[start..end]`: from after the last
/// sentence end before it to just past the first one after it (a question mark
/// belongs to the question it closes). Runs of marks ("??", "...") stay together.
fn sentence_around(text: &str, start: usize, end: usize) -> std::ops::Range<usize> {
    let from = text[..start]
        .char_indices()
        .rev()
        .find(|&(_, c)| ends_sentence(c) && c != '¿' && c != '¡')
        .map_or(0, |(i, c)| i + c.len_utf8());
    let after = &text[end..];
    let to = match after.find(|c: char| ends_sentence(c) && c != '¿' && c != '¡') {
        Some(i) => {
            let rest = &after[i..];
            let run = rest
                .char_indices()
                .find(|&(_, c)| !ends_sentence(c) || c == '\n')
                .map_or(rest.len(), |(j, _)| j.max(1));
            end + i + run
        }
        None => text.len(),
    };
    from..to
}

/// "no es que", "not that", "não é que", "nao que" within the four words before, in one
/// clause ("es que" and "é que" only after a negator: "como é que anulo…?" asks how), or a
/// negated report of a request within the six before ("no estoy pidiendo que me
/// saquen", "I'm not asking to be removed", "não tô dizendo pra parar").
fn framed(tokens: &[Token], at: usize) -> bool {
    let from = at.saturating_sub(4);
    let clause = tokens[at].clause;
    // The frame's words stand together in one clause: "no, es que quiero darme de
    // baja" answers "no" and then explains the stop.
    let pair = (from..at.saturating_sub(1)).any(|i| {
        let negator_before = i > 0
            && tokens[i - 1].marks.contains(Marks::NEGATOR)
            && tokens[i - 1].clause == tokens[i].clause;
        tokens[i].clause == tokens[i + 1].clause
            && match (tokens[i].fold.as_str(), tokens[i + 1].fold.as_str()) {
                ("not", "that") | ("nao", "que") | ("isnt", "that") => true,
                ("es", "que") | ("e", "que") => negator_before,
                _ => false,
            }
    });
    let before = &tokens[at.saturating_sub(6)..at];
    let report = before.iter().enumerate().any(|(i, t)| {
        t.clause == clause
            && t.marks.contains(Marks::NEGATOR)
            && before[i + 1..]
                .iter()
                .take(2)
                .any(|r| r.clause == clause && r.marks.contains(Marks::REPORT))
    });
    pair || report
}

/// Whether `text[start..end]` sits between an opening and a closing quotation mark.
fn quoted(text: &str, start: usize, end: usize) -> bool {
    // Most messages hold no mark that could open a quotation: one pass over the bytes
    // says so instead of seven searches.
    may_open_a_quotation(text.as_bytes()) && enclosed(text, start, end)
}

/// [`quoted`] without the quick test in front.
fn enclosed(text: &str, start: usize, end: usize) -> bool {
    QUOTES.iter().any(|&(open, close)| {
        let before = &text[..start];
        let after = &text[end..];
        let Some(o) = before.rfind(open) else {
            return false;
        };
        // The opening mark must open: at the start or after a non-word char.
        let opens = before[..o]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let between = &before[o + open.len_utf8()..];
        let unbroken = if open == close {
            !between.contains(close)
        } else {
            !between.contains(close) && !between.contains(open)
        };
        opens
            && unbroken
            && after.find(close).is_some_and(|c| {
                // and the closing one close: at the end or before a non-word char.
                after[c + close.len_utf8()..]
                    .chars()
                    .next()
                    .is_none_or(|n| !n.is_alphanumeric())
            })
    })
}

/// Whether `text` holds a mark that may open a pair of [`QUOTES`] — a quick test that
/// errs on the side of yes: an opening `"` or `*`, a `'` not right after a letter or
/// digit (an apostrophe inside "don't" opens nothing), or one of `“ „ « ‘`. Closing marks
/// alone (`” » ’`, the last also an apostrophe on phones) never make a quotation.
fn may_open_a_quotation(text: &[u8]) -> bool {
    text.iter().enumerate().any(|(i, &b)| match b {
        b'"' | b'*' => true,
        b'\'' => i == 0 || !text[i - 1].is_ascii_alphanumeric(),
        // «
        0xC2 => text.get(i + 1) == Some(&0xAB),
        // “ „ ‘
        0xE2 => {
            text.get(i + 1) == Some(&0x80) && matches!(text.get(i + 2), Some(0x9C | 0x9E | 0x98))
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intent::{Intent, RuleClassifier};
    use proptest::prelude::*;

    proptest! {
        /// The quick test never says no where the searches would find a quotation.
        #[test]
        fn the_quick_quotation_test_never_hides_one(
            text in "[a-z0-9 '\"*“”„«»‘’´`.,¿?é]{0,40}",
            a in 0usize..41,
            b in 0usize..41,
        ) {
            let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let (a, b) = (bounds[a % bounds.len()], bounds[b % bounds.len()]);
            let (start, end) = (a.min(b), a.max(b));
            if enclosed(&text, start, end) {
                prop_assert!(may_open_a_quotation(text.as_bytes()), "{text:?} {start}..{end}");
            }
        }

        /// Every rule reads inside the tokens whatever words surround a stop: messages
        /// built from the words the rules look for (stops, demonstratives, "otro",
        /// "write me", channels, hours, people, clause breaks) at any place, ending
        /// anywhere, scope every phrase without a panic.
        #[test]
        fn scoping_never_reads_past_the_tokens(words in prop::collection::vec(prop::sample::select(vec![
            "no", "me", "llamen", "stop", "texting", "sending", "não", "quero", "mais", "esse",
            "ese", "this", "otro", "outra", "another", "write", "to", "it", "escreve", ",", ".",
            "?", "solo", "por", "whatsapp", "email", "antes", "das", "10", "9pm", "durante",
            "semana", "pode", "sí", "my", "wife", "háblenle", "chega", "de", "áudio", "recibo",
            "impreso", "unsubscribe", "baja", "más", "domingo", "evenings", "are", "fine",
            "\"", "don't", "pero", "si", "interesa",
        ]), 0..14)) {
            let text = words.join(" ");
            let rules = RuleClassifier::new();
            let (tokens, hits) = rules.analyze(&text);
            let mut out = Vec::new();
            scopes_into(&text, &tokens, &hits, &mut out);
            prop_assert_eq!(out.len(), hits.len());
        }
    }

    #[test]
    fn apostrophes_and_closing_marks_alone_open_nothing() {
        for text in [
            "I don't want it",
            "I don’t want it",
            "no quiero» nada",
            "ok” baja",
        ] {
            assert!(!may_open_a_quotation(text.as_bytes()), "{text}");
        }
        for text in [
            "'baja'",
            "le puse “baja”",
            "«baja»",
            "‘stop’",
            "dice *baja*",
            "x \"baja\"",
        ] {
            assert!(may_open_a_quotation(text.as_bytes()), "{text}");
        }
    }

    fn opt_out_scope(text: &str) -> Scope {
        let rules = RuleClassifier::new();
        let (tokens, hits) = rules.analyze(text);
        let hit = hits
            .iter()
            .find(|h| h.intent == Intent::OptOut)
            .unwrap_or_else(|| panic!("no opt-out phrase in {text:?}"));
        scope_of(text, &tokens, hit)
    }

    #[test]
    fn plain_requests_are_in_use() {
        for text in [
            "BAJA",
            "no me escriban más",
            "stop texting me",
            "para de me mandar mensagem",
            "I don't want you to call me anymore",
            "quit calling me",
            "não quero que me liguem mais",
            "how do I stop getting your emails?",
            "cómo dejo de recibir sus mensajes?",
            "como faço pra parar de receber as promoções",
        ] {
            assert!(opt_out_scope(text).is_use(), "{text}");
        }
        // Stopping a charge is not stopping messages.
        assert!(!opt_out_used("how do I stop getting charged for the app"));
        assert!(opt_out_scope("no me escriban más, pero avísenme del pedido").is_use());
    }

    #[test]
    fn mentions_questions_and_frames_are_not() {
        let s = opt_out_scope("me llegó un SMS que dice \"responda BAJA\", es de ustedes?");
        assert!(s.contains(Scope::QUOTED) && s.contains(Scope::MENTIONED));
        assert!(opt_out_scope("what does the unsubscribe button do?").contains(Scope::ASKED_ABOUT));
        assert!(
            opt_out_scope("no es que no me interesa, pero ahora no puedo").contains(Scope::FRAMED)
        );
        assert!(!opt_out_scope("the word 'unsubscribe' is in the ad").is_use());
        assert!(!opt_out_used(
            "ese bizcocho que se llama \"Ya Basta\" de qué sabor es"
        ));
    }

    #[test]
    fn leaving_a_course_a_class_or_a_gym_is_no_stop() {
        // What the customer is enrolled in, left: a service, not its messages.
        all_limited(&[
            "cómo me doy de baja del curso de natación de los sábados? ya no lo vamos a usar",
            "quiero darme de baja del gimnasio",
            "unsubscribe me from the pottery course, I moved",
            "quero sair da academia, me mudei",
            "denme de baja de la membresía",
            "cancelar matrícula",
        ]);
        // The messages about it named, or a list of it, stay requests.
        all_used(&[
            "denme de baja de los mensajes del curso",
            "stop sending me class reminders",
            "unsubscribe me from the course emails",
            "saquen mi numero de la lista del curso",
            "dejen de mandarme publicidad del gimnasio",
        ]);
    }

    #[test]
    fn wanting_to_cancel_without_saying_what_is_no_stop() {
        // What is cancelled is not said: a plan, an order, a booking.
        all_limited(&[
            "quero cancelar",
            "quiero cancelar",
            "preciso cancelar por favor",
            "gostaria de cancelar",
            "I want to cancel",
            "need to cancel pls",
            "hola, quisiera cancelar",
            "não pedi esse cartão, pode cancelar",
            "pode cancelar então",
            "si ya salió, lo pueden cancelar? no, mejor: pueden cancelar",
        ]);
        // Named, the object decides: messages are a request, a card is bounded.
        all_used(&[
            "quero cancelar as mensagens",
            "quiero cancelar las promos",
            "want to cancel texts",
            "cancelar",
            "quero cancelar. não quero mais receber nada",
            "pode cancelar as mensagens",
        ]);
        for text in [
            "quero cancelar meu cartão",
            "queria cancelar a encomenda, enganei-me no tamanho",
        ] {
            assert!(opt_out_scope(text).contains(Scope::LIMITED), "{text}");
        }
    }

    /// Asserts that an opt-out phrase of each text is in use (a request).
    fn all_used(texts: &[&str]) {
        for text in texts {
            assert!(opt_out_used(text), "{text}");
        }
    }

    /// Asserts that no opt-out phrase of any text is in use.
    fn none_used(texts: &[&str]) {
        for text in texts {
            assert!(!opt_out_used(text), "{text}");
        }
    }

    /// Asserts that the opt-out phrase of each text is bounded ([`Scope::LIMITED`]) and
    /// none is used as a request.
    fn all_limited(texts: &[&str]) {
        for text in texts {
            assert!(opt_out_scope(text).contains(Scope::LIMITED), "{text}");
            assert!(!opt_out_used(text), "{text}");
        }
    }

    /// Whether any opt-out phrase of `text` is used as a request.
    fn opt_out_used(text: &str) -> bool {
        let rules = RuleClassifier::new();
        let (tokens, hits) = rules.analyze(text);
        let mut scoped = Vec::new();
        scopes_into(text, &tokens, &hits, &mut scoped);
        scoped
            .iter()
            .any(|(h, s)| h.intent == Intent::OptOut && s.is_use())
    }

    #[test]
    fn flags_stay_inside_the_phrase_sentence() {
        all_used(&[
            "every single day a text?? no. stop",
            "this is the 4th text today. stop",
            "why do u keep texting me. i said no. unsubscribe",
            "yall really be texting at 6am for a sale?? remove me",
        ]);
    }

    #[test]
    fn hindi_negates_after_its_verb() {
        none_used(&[
            "unsubscribe nahi karna mujhe, bas alerts ke liye number change karna hai",
            "maine stop nahi bola tha, bhejte raho deals",
            "unsubscribe mat karna please, offers acche lagte hain",
            "unsubscribe karna nahi hai, sirf email badalna hai",
        ]);
        // "nahi to" is "otherwise", "nahi chahiye" is "don't want": the stop stands.
        assert!(opt_out_used("unsubscribe karo nahi to complaint karunga"));
        assert!(opt_out_used("unsubscribe me nahi to consumer court jaunga"));
        assert!(opt_out_used("please unsubscribe me, thanks"));
    }

    #[test]
    fn spam_named_or_asked_about_is_no_stop() {
        none_used(&[
            "getting spam calls in your name, is it you?",
            "spam call aa rahe aapke naam se kya ye aapke hi log hai",
            "is this message spam or is it really from your bank?",
            "é spam isso? diz que ganhei um prêmio",
        ]);
        assert!(opt_out_used("this is spam, stop"));
        assert!(opt_out_used("spam"));
        assert!(opt_out_used("why do you keep sending me spam?"));
    }

    #[test]
    fn not_that_but_denies_the_stop() {
        none_used(&[
            "not that I want to unsubscribe, but how many emails a week should I expect?",
            "no es que quiera darme de baja, pero son muchos mensajes al día",
            "não é que eu queira sair da lista, mas vcs mandam muita coisa",
        ]);
        // Without the contrast, or a stop after it, the stop stands.
        assert!(opt_out_used("not that I care, but unsubscribe me"));
        assert!(opt_out_used("no es que me moleste, pero denme de baja"));
        // A "no" answering before a comma frames nothing: "es que" explains the stop.
        assert!(opt_out_used(
            "no, es que quiero darme de baja, pero gracias"
        ));
        assert!(opt_out_used(
            "não, é que eu quero sair da lista, mas obrigado"
        ));
    }

    #[test]
    fn unable_to_stop_is_no_stop() {
        none_used(&[
            "cant stop using it",
            "i cannot stop laughing at your ad",
            "my mom couldnt stop talking about you",
        ]);
        // Further back they are no negators here: the stop stands.
        assert!(opt_out_used("i cant believe it, stop texting me"));
        assert!(opt_out_used("stop using my number"));
    }

    #[test]
    fn none_left_asks_for_stock() {
        none_used(&[
            "no more left?",
            "no more in stock in size 10?",
            "no más disponibles en negro?",
        ]);
        assert!(opt_out_used("no more"));
        assert!(opt_out_used("no more texts left in my inbox pls"));
    }

    #[test]
    fn a_past_tense_of_parar_is_no_stop() {
        assert!(!opt_out_used("ya voy bajando, paré en doble fila"));
        assert!(!opt_out_used("se paró la app otra vez"));
        // Without the accent it is the request.
        assert!(opt_out_used("pare"));
        assert!(opt_out_used("pare de mandar mensagem"));
    }

    #[test]
    fn a_full_stop_is_no_stop() {
        assert!(!opt_out_used("last price bolo bhai, full stop"));
        assert!(!opt_out_used("no discounts on sale items, full stop?"));
        assert!(opt_out_used("stop. full stop. no more messages"));
        assert!(opt_out_used("stop"));
    }

    #[test]
    fn nothing_of_a_stop_is_no_stop() {
        assert!(!opt_out_used(
            "vou querer a pizza meio a meio. e nada de cancelar, tô com fome kkk"
        ));
        assert!(!opt_out_used(
            "nada de darme de baja, solo cambien el correo"
        ));
        assert!(opt_out_used("nada de desconto? então me descadastra"));
    }

    #[test]
    fn a_phrase_with_its_own_negator_is_emphatic_after_another() {
        assert!(opt_out_used("ya dije que no y no quiero mas llamadas"));
        assert!(opt_out_used("ja entrei no site nao me perturbe, parem"));
    }

    #[test]
    fn a_negator_phrase_before_a_negated_one_is_its_not() {
        none_used(&[
            "no quiero desuscribirme, solo arreglar el correo",
            "não quero me descadastrar, só corrigir meu endereço",
        ]);
    }

    #[test]
    fn vernacular_negators_negate() {
        // Jamaican "nuh" and "ain't" negate as "don't" does (round 73 read "mi nuh want
        // fi unsubscribe" as an explicit stop); a stop after them stays a stop.
        none_used(&[
            "mi nuh want fi unsubscribe, mi jus want know if dis message a fi unnu fi real",
            "i aint trying to unsubscribe, just checking the bill",
            // Swahili "I haven't said" / "I didn't say" (round 79).
            "sijasema stop, endeleeni kutuma offers za weekend",
            "sikusema mniondoe, nilikuwa nauliza bei tu",
            // Hindi "abhi", Tagalog "muna": "for now" narrows "not interested".
            "not interested abhi, pehle 2-3 builders aur dekhne hai",
            "not interested muna, next month na lang",
        ]);
        assert!(opt_out_used("mi nuh interested, stop"));
        assert!(opt_out_used("not interested"));
    }

    #[test]
    fn negated_reports_frame_and_questions_with_e_que_do_not() {
        none_used(&[
            "não estou pedindo pra me tirar da lista, só achei caro",
            "I never said stop, keep them coming",
            "no te pedí que me borres de la lista",
        ]);
        assert!(opt_out_used("como é que anulo a subscrição das promoções?"));
    }

    #[test]
    fn conditions_are_hypotheses() {
        none_used(&[
            "if I unsubscribe will I lose my points?",
            "si me doy de baja pierdo los puntos?",
            "se eu sair da lista perco o cashback?",
            // Four words back: a subject, a verb of asking and its link between.
            "se eu pedir pra sair da lista de promoções continuo recebendo o aviso das aulas?",
            "if I ask to unsubscribe, do I still get my receipts?",
        ]);
        // "si," is "sí" written without its accent: the request stands.
        assert!(opt_out_used("si, denme de baja"));
        // The other branch of a condition: a stop offered as the price of a refusal.
        none_used(&[
            "can you do 20% off? if not, just remove me from the list",
            "parcela em 10x? se não, pode me tirar da lista",
            "me lo dejas en 300? si no, me dan de baja",
            "treadmill at 400 and im in, otherwise unsubscribe me",
            "de lo contrario no me escriban más",
            "te doy 1500 por la bici y ya, si no pues ya no me escribas",
        ]);
        // "if not" closing nothing, or "no" after a plain "sí": a request.
        assert!(opt_out_used("sí, no me escriban más"));
        assert!(opt_out_used("si no les importa, denme de baja"));
        assert!(opt_out_used("how do i unsubscribe?"));
    }

    #[test]
    fn hyphenated_words_are_fragments() {
        assert!(opt_out_scope("been refreshing non-stop for the drop").contains(Scope::FRAGMENT));
        assert!(!opt_out_used("set a stop-loss at 20"));
        assert!(opt_out_used("stop - no more messages"));
        // Names joined by an ampersand.
        assert!(!opt_out_used("the Stop & Go combo is my kids' favorite"));
        assert!(!opt_out_used("I shop at Stop&Shop"));
        assert!(opt_out_used("stop & remove me from the list"));
    }

    #[test]
    fn past_forms_report() {
        for text in [
            "me desuscribí por error de los correos",
            "eu me descadastrei sem querer",
            "ja fui descadastrado?",
        ] {
            assert!(opt_out_scope(text).contains(Scope::FRAGMENT), "{text}");
        }
        all_used(&[
            "descadastra",
            "me descadastrem",
            "quero ser descadastrado",
            "desuscribirme",
        ]);
    }

    #[test]
    fn no_mas_after_a_verb_intensifies_it() {
        for text in ["ya, dale no más", "envíelo no más", "así no más, gracias"] {
            assert!(opt_out_scope(text).contains(Scope::FRAGMENT), "{text}");
        }
        all_used(&[
            "no más",
            "ya no más",
            "no, no más",
            "no más por favor",
            "basta, no más",
        ]);
    }

    #[test]
    fn reported_removals_and_other_stops_are_not_requests() {
        for text in [
            "opa, vi que me tiraram da lista, brigado",
            "parei de receber o catálogo de vocês, manda de novo?",
            "me sacaron de la lista sin avisar?",
            "dejé de recibir sus mensajes, ¿me sacaron de la lista? yo sí quiero seguir",
            "deje de recibir las ofertas por WhatsApp, me las pueden volver a activar?",
            "deixei de receber as promoções, aconteceu algo?",
        ] {
            assert!(opt_out_scope(text).contains(Scope::FRAGMENT), "{text}");
        }
        assert!(opt_out_used("deje de mandarme mensajes por favor"));
        assert!(opt_out_used("quiero dejar de recibir sus mensajes"));
        assert!(opt_out_used("como deixo de receber as mensagens?"));
        for text in [
            "vou parar de fumar, tem adesivo?",
            "chega de pensar, fecha aí",
            "ya basta de esperar, ¿y mi pedido?",
            "chega de tanto esperar, meu pedido era pra ontem!",
            "Parem de me cobrar essa tarifa de pacote de serviços que eu nunca pedi",
            "pare de me descontar a mensalidade, já cancelei",
            "basta de excusas, quiero saber dónde está mi pedido",
            "ya basta de promesas, quiero mi reembolso",
            "chega das desculpas, cadê meu pedido?",
            "stop with the excuses",
            "basta de aumentos, a este precio no les compro más",
            "chega de reajuste todo mês",
        ] {
            assert!(opt_out_scope(text).contains(Scope::LIMITED), "{text}");
        }
        assert!(opt_out_used("basta de mensajes"));
        assert!(opt_out_used("ya basta de spam, sáquenme"));
        assert!(opt_out_used("chega de propaganda"));
        assert!(opt_out_used("para de me encher com promoção"));
        assert!(opt_out_used("chega de mensagem"));
        assert!(opt_out_used("basta de mandarme cosas"));
        assert!(opt_out_used("chega de tanto mandar mensagem"));
        all_used(&[
            "me tira da lista",
            "sáquenme de la lista",
            "pare de mandar mensagem",
            "para de me ligar",
        ]);
    }

    #[test]
    fn some_of_that_product_is_no_stop_of_messages() {
        // Round 76 read such lines as explicit stops: a product not to be sent again.
        for text in [
            "no me manden más de ese pan integral, las dos últimas veces vino duro como piedra",
            "ya no me manden de ese tomate, vino todo aguado",
            "não quero mais desse pão de forma, veio todo amassado",
        ] {
            assert!(opt_out_scope(text).contains(Scope::LIMITED), "{text}");
        }
        // Some of those *messages* stays a stop, and so does an unnamed "those": replying
        // to a broadcast, they are the messages. "eso" is no partitive of a thing.
        all_used(&[
            "no me manden más de esas promociones",
            "não me mande mais dessas propagandas",
            "ya no me manden de esos mensajes de ofertas",
            "no me manden más de esos por favor",
            "no me manden más de eso",
            "doan send me no more of these",
            "cheers but no more of these ta",
        ]);
    }

    #[test]
    fn a_stop_of_audios_with_a_request_to_write_is_a_preference_of_format() {
        for text in [
            "para de mandar áudio, escreve por escrito que no trampo não dá pra ouvir",
            "no me mandes más notas de voz porfa, pasámelo por escrito",
            "please stop sending voice notes, I need it in writing",
            "stop sending me videos and write it down pls",
            "stop sending me pdfs, just type the balance here",
            "pls stop sending screenshots, just type the tracking number",
            "profe deje de mandarme audios que no los oigo en el trabajo, escríbamelo porfa",
            "pls stop sending me voice messages and write everything out, I'm deaf in one ear",
            "could you stop sending audios and type things out for me instead?",
        ] {
            assert!(opt_out_scope(text).contains(Scope::LIMITED), "{text}");
        }
        for text in [
            "chega de áudio",
            "ya no me manden fotos de muebles todos los días",
            "para de mandar áudio de promoção, quero tudo por escrito que pedi pra sair",
            "stop sending me audios and texts",
            "stop sending me pdfs of your offers",
        ] {
            assert!(!opt_out_scope(text).contains(Scope::LIMITED), "{text}");
        }
    }

    #[test]
    fn a_stop_that_gives_in_to_the_offer_is_no_request() {
        for text in [
            "ok ok stop, you convinced me, send the payment link",
            "ya no me mandes más videos del sillón que me convenciste, ¿cómo pago?",
            "para de mandar foto que vocês me convenceram, quero o azul",
            "alright stop, you got me, send the link",
            "ok ok stop texting, you win. how much?",
            "ya no me mande más modelos, me convenció el segundo, ¿dónde deposito?",
            "para de me mandar opção, já me convenci, vou levar a preta",
        ] {
            assert!(opt_out_scope(text).contains(Scope::FRAGMENT), "{text}");
        }
        for text in [
            "stop texting me, you got me wrong",
            "stop, you got me confused with someone else",
            "you win nothing by spamming me, stop",
            "stop trying to convince me and unsubscribe me",
            "para de tentar me convencer, me tira da lista",
            "no me convencen, dejen de escribirme",
            "stop texting me, I'm not convinced",
            "dejen de escribirme, no estoy convencida",
            "no me convenció nada, ya no me escriban",
            "dejen de mandarme cosas, no me convencí",
        ] {
            assert!(!opt_out_scope(text).contains(Scope::FRAGMENT), "{text}");
        }
    }

    #[test]
    fn a_stop_meant_once_and_dropped_for_a_but_is_conditional() {
        for text in [
            "eu ia pedir pra sair da lista mas essa promoção me pegou",
            "iba a darme de baja pero vi el descuento de las botas",
            "tava quase pedindo pra sair da lista mas a promo do tênis me pegou",
            "I was going to unsubscribe, but that sale is actually good",
            "I almost hit unsubscribe but the coupon saved you lol",
            "estaba por darme de baja de sus mensajes pero vi ese escritorio",
            "estava pra sair da lista mas vi a promoção do sofá",
            "I was about to unsubscribe but this one is actually good",
            "Unsubscribe karne wala tha, but this offer accha hai. Order kar do",
            "unsubscribe karne wali thi but ye deal sahi hai",
        ] {
            assert!(opt_out_scope(text).contains(Scope::CONDITIONAL), "{text}");
        }
        for text in [
            "ya había pedido que me sacaran de la lista, pero siguen escribiendo",
            "I'm going to unsubscribe, but first send me the invoice",
            "would you unsubscribe me please, but keep the receipts coming",
            "casi me doy de baja ya",
            "estaba por darme de baja hace rato, ya no me escriban",
            "unsubscribe karna hai, but pehle bill bhejo",
        ] {
            assert!(!opt_out_scope(text).contains(Scope::CONDITIONAL), "{text}");
        }
    }

    #[test]
    fn an_everyday_word_in_a_question_is_not_a_stop() {
        for text in [
            "chega em outras cores?",
            "baja un poco?",
            "basta con transferencia?",
            "meu pedido chega amanhã?",
            "paren en la esquina?",
        ] {
            assert!(opt_out_scope(text).contains(Scope::FRAGMENT), "{text}");
        }
        all_used(&[
            "de novo? chega 🙄",
            "¿otra vez? basta",
            "de novo? parem",
            "chega",
            "stop?",
            "STOP",
        ]);
    }

    #[test]
    fn a_stop_taken_back_for_the_offers_is_not_a_request() {
        for text in [
            "meu marido pediu pra sair da lista, mas eu quero continuar recebendo as promoções, tá?",
            "mi esposa pidió que la saquen de la lista, pero yo quiero seguir recibiendo las ofertas",
            "my husband said unsubscribe, but keep sending me the deals",
        ] {
            assert!(opt_out_scope(text).contains(Scope::FRAGMENT), "{text}");
        }
        all_used(&[
            "no me manden más promos, pero sigan mandando el rastreo",
            "parem de mandar mensagem, mas continuem com o código de rastreio",
            "unsubscribe me, but keep my order updates",
        ]);
    }

    #[test]
    fn a_stop_an_earlier_message_said_and_this_one_withdraws_is_not_a_request() {
        for text in [
            "sobre aquela mensagem de sair da lista, desconsidera",
            "disregard my message asking to unsubscribe, I want to stay",
            "olvida lo que te dije de darme de baja, sigo con ustedes",
            "I know I wrote remove me from the list last week, ignore that, send me the link",
            "pode desconsiderar o pedido pra me tirar da lista",
            "é sobre aquela parada que eu falei de sair da lista de mensagem esquece tá pode continuar mandando",
            "I know I asked to unsubscribe, you can keep sending the deals",
            "aquilo que escrevi ontem pedindo pra me tirarem da lista, esquece, foi meu neto brincando",
            "lo que te escribí de darme de baja, olvídalo, fue mi nieto jugando",
            "lo de que me borraran de la lista, ya no, mejor sigan mandándome las ofertas",
            "that about the unsubscribe, no, my mistake, keep me in the offers list",
            "te escribí que me borraran de la lista, me equivoqué",
            "isso de sair da lista, me enganei, pode ignorar",
            "forget what I told you about unsubscribe, keep sending me the options please",
            "forget the unsub thing",
            "pls ignore the unsubscribe request, i was annoyed",
        ] {
            assert!(opt_out_scope(text).contains(Scope::FRAGMENT), "{text}");
        }
        all_used(&[
            "ya les dije que no me escriban más, olvídenlo, no entienden",
            "forget the discount, just unsubscribe me",
            "ignore the rest, remove me from the list",
            "you never listen, forget it, stop texting me",
            "esquece, parem de mandar mensagem",
            "desconsidera, peço que me tirem da lista",
            "ignore the promo, I'm asking you to unsubscribe me",
            "ya les dije que no me escriban, siguen mandando todos los días",
            "les dije que no me escriban y siguen mandando",
            "I asked to unsubscribe and you keep sending promos",
            "pedi pra sair da lista e vcs continuam mandando, esquece, vou no procon",
            "I asked to unsubscribe, forget it, you never listen, remove me",
            "lo de darme de baja, háganlo ya",
            "that about the unsubscribe, do it now",
            "eso de darme de baja, olvídalo, ya no me escriban",
            "I already told you to unsubscribe me, forget it, you never listen",
            "the unsub thing, do it now",
            "forget the deals, stop texting me",
        ]);
    }

    #[test]
    fn interest_free_payment_is_not_a_refusal() {
        for text in [
            "financing with no interest?",
            "12 cuotas no interest?",
            "can I pay in 3x no interest",
            "6 months no interest?",
            "no interest financing on the fridge?",
        ] {
            assert!(opt_out_scope(text).contains(Scope::LIMITED), "{text}");
        }
        all_used(&[
            "no interest",
            "no interest, remove my number",
            "sorry, no interest",
        ]);
    }

    #[test]
    fn more_of_a_thing_is_not_more_messages() {
        none_used(&[
            "não quero mais dívida, não",
            "no more paper statements please, send them to my email",
            "no quiero más préstamos",
        ]);
        all_used(&[
            "no more loan offers please",
            "não quero mais mensagem de empréstimo",
        ]);
    }

    #[test]
    fn a_keyword_said_after_it_is_named_answers() {
        all_used(&[
            "> Tenemos nuevos planes 🔥 Si no deseas recibir más info responde SALIR\nSALIR",
            "> Até 60% off em sofás. Para cancelar o recebimento, responda PARAR — PARAR",
        ]);
        assert!(!opt_out_used(
            "me llegó un SMS que dice responde SALIR, es de ustedes?"
        ));
    }

    #[test]
    fn a_keyword_naming_a_link_or_button_is_mentioned() {
        for text in [
            "the unsubscribe link in your email is broken",
            "Your unsubscribe link gives a 404 by the way",
            "where is the unsubscribe button",
        ] {
            assert!(opt_out_scope(text).contains(Scope::MENTIONED), "{text}");
            assert!(!opt_out_used(text), "{text}");
        }
        all_used(&[
            "unsubscribe me",
            "unsubscribe, link expired anyway",
            "stop please",
        ]);
    }

    #[test]
    fn saying_it_does_not_bother_is_not_asking_not_to_be_bothered() {
        for text in [
            "no me molesta que me escriban, solo quería saber si hay delivery a Surco",
            "no me molestan los mensajes, solo quiero saber si llegan a Puerto Montt",
            "não me incomoda receber as promoções, só quero saber do frete",
            "nao me incomoda que mandem msg",
            "não me incomoda o tanto de mensagem, só quero saber se o pedido sai hoje",
            "não me incomoda isso, só quero o rastreio",
        ] {
            assert!(opt_out_scope(text).contains(Scope::FRAGMENT), "{text}");
            assert!(!opt_out_used(text), "{text}");
        }
        all_used(&[
            "no me molesten más",
            "no me moleste por favor",
            "não me incomode mais",
            "nao me incomoda mais, já falei",
            "não me incomoda com essas mensagens",
        ]);
    }

    #[test]
    fn a_window_or_a_period_bounds_a_stop() {
        for text in [
            "a partir de las 8 de la noche no me escriban que ya estoy descansando",
            "don't text me after 9pm please",
            "Bom dia, por favor não me liguem muito cedo, só a partir das 10h30",
            "não me liguem depois das 22h por favor",
            "durante mi licencia de maternidad no me llamen por favor, retomo en marzo",
            "while I'm abroad don't call me",
            "Don't text me during service please, I'll check the messages at 3",
            "no me llamen durante el partido que no escucho",
            "não me liguem enquanto eu tô no plantão",
            "No more calls this week please, I'm writing exams. Try me Monday",
            "no more calls this wk, try mon",
            "nesse período não me liguem, tô internada",
            "el domingo es pa la familia, no me escriban ese día porfa",
            "parce los domingos no me escriba nada, es el único día que descanso",
            "los findes no me mandes nada che, el lunes te respondo",
        ] {
            assert!(opt_out_scope(text).contains(Scope::LIMITED), "{text}");
        }
        // An hour alone says when the stop is annoyed; "after this" orders two things;
        // "mientras tanto" is meanwhile; "period" ends the sentence; "more" or "never"
        // widens a window to every time.
        for text in [
            "stop calling me at 8am with offers",
            "para de me ligar todo dia 8h da manhã mano",
            "oigan dejen de mandarme mensajes a las 7am, ya no los quiero recibir",
            "ok cool got my order, anyway please stop the promo spam after this",
            "faz por 150 que eu pego hoje. mas depois para de me mandar mensagem tá",
            "me late el paquete pero ahorita no traigo lana, y mientras tanto ya no me manden mensajes",
            "please stop sending me messages period",
            "después de las 8 ya no me escriban más, ni de día tampoco",
            "take me off the list period",
            "don't text me again during the week or on weekends",
            "no me escriban más, ni durante el día ni de noche",
        ] {
            assert!(!opt_out_scope(text).contains(Scope::LIMITED), "{text}");
        }
    }

    #[test]
    fn a_stop_of_one_channel_with_another_welcome_is_one_channel() {
        for text in [
            "Kindly do not call, only message on WhatsApp. I am not comfortable on phone calls.",
            "dont send me email please, I never open it. only here in whatsapp",
            "No me llamen, yo prefiero que todo me lo manden por correo",
            "mandame todo por mail, por teléfono no me llames que no atiendo números desconocidos",
            "no me manden correos, solo por whatsapp que el correo ni lo reviso",
            "no me llamen por favor, prefiero mensaje de texto, soy hipoacúsico",
            "Peço que não me liguem para o emprego. Se precisarem, enviem mensagem por aqui.",
            "Não me liguem na loja, lá o telefone é da empresa. Só por este WhatsApp.",
            "no me llamen, escríbanme por acá",
            "Stop calling, just send WhatsApp message. Network is bad for calls where I stay",
            "so dont call me please, whatsapp is ok",
        ] {
            assert!(opt_out_scope(text).contains(Scope::ONE_CHANNEL), "{text}");
        }
        // The other channel stopped too, a report of a sending, a stop of promotions,
        // a word that only looks like a channel ("tell" reads as "tel"), "so many".
        for text in [
            "no me llamen, y por whatsapp tampoco",
            "ya no me llamen más ni me manden mensajes por favor",
            "não me liguem mais e nem mandem msg",
            "stop calling me, I already told you on whatsapp",
            "no me manden promociones, solo por correo el estado de cuenta",
            "dont send me sales stuff, only tell me when the repair is done",
            "please stop sending me so many messages",
            "mire señora, cada dia me manda como cinco mensajes, no me escriba mas",
        ] {
            assert!(!opt_out_scope(text).contains(Scope::ONE_CHANNEL), "{text}");
        }
    }

    #[test]
    fn a_stop_sent_elsewhere_is_limited() {
        for text in [
            "el que se encarga de las compras es mi socio, no me escriban a mí, háblenle a él",
            "no me escriban a este número que lo voy a cerrar, actualicen mi contacto al 0414 555 2020",
            "stop texting me, write to my wife instead",
            "não me manda mensagem, manda pra minha filha que ela cuida disso",
            "I didn't mean stop forever, I meant stop calling me at work. evenings are fine",
            "no me llames ahorita que estoy en chamba, en la noche sí",
            // Promotions bounded by another time accepted.
            "domingo não me manda mais promoção não, durante a semana pode",
            "no me manden ofertas en la mañana, en la tarde sí",
        ] {
            assert!(opt_out_scope(text).contains(Scope::LIMITED), "{text}");
        }
        // Promotions stopped (for another person too), "si" as "if", another person
        // stopped too, a report.
        for text in [
            "no me manden promociones a mí, mándenselas a mi esposa",
            "no me manden más ofertas del crossfit, pero avísenme si cancelan mi clase del jueves",
            "no me escriban más, y a mi esposa tampoco",
            "stop calling me, I already told my wife to stop you",
            "stop texting me, I will call you when I need something",
        ] {
            assert!(!opt_out_scope(text).contains(Scope::LIMITED), "{text}");
        }
    }

    #[test]
    fn a_stop_of_a_format_with_a_request_to_write_is_limited_by_the_imperative_too() {
        for text in [
            "no me manden notas de voz, no puedo oírlas en el trabajo, escriban",
            "para de mandar áudio longo, escreve que eu leio no trampo",
            "please stop sending me audio, I'm in the work, write me the info",
            "pls stop sending voice notes, write to me instead, I am at the office",
        ] {
            assert!(opt_out_scope(text).contains(Scope::LIMITED), "{text}");
        }
        // "write me" negated forbids writing too.
        let text = "stop sending me audios, and don't write me either";
        assert!(!opt_out_scope(text).contains(Scope::LIMITED), "{text}");
    }

    #[test]
    fn one_item_declined_with_another_asked_for_is_limited() {
        for text in [
            "não quero mais esse, tem outro em azul?",
            "no quiero más esa, ¿tenés otra en negro?",
        ] {
            assert!(opt_out_scope(text).contains(Scope::LIMITED), "{text}");
        }
        // No demonstrative right after, or nothing else asked for.
        for text in [
            "não quero mais receber essas promoções, nem outras",
            "no quiero más esto, dejen de escribirme",
            "não quero mais esse tipo de mensagem, nem outro",
        ] {
            assert!(!opt_out_scope(text).contains(Scope::LIMITED), "{text}");
        }
    }

    #[test]
    fn bounded_refusals_are_limited() {
        all_limited(&[
            "no me llamen hoy que ando manejando",
            "no me interesa ese plan de 80, tienen uno de 50?",
            "im not interested unless u can do 20% off",
            "not interested, unless you can do it for 150",
            "nao tenho interesse nenhum a menos que vcs tirem a anuidade",
            "no me interesa a no ser que me lo dejen en 150",
            "not interested at £300, that's mad",
            "not interested yet, still comparing",
            "não tenho interesse no básico, quero o premium",
            "no me interesa por ahora, pero sigan mandando las promos",
            "cancelar meu cartão",
            "stop the car alarm",
            "ya estoy en dicom, no quiero mas esas deudas",
            "ya estoy en dicom, no quiero mas deudas",
            "cancelar a encomenda, enganei-me no tamanho",
            "I'm not interested for now o, maybe when salary enters",
            "los mails me llegan a spam, como lo arreglo?",
            "your emails are going to my spam folder, including the receipts",
            "el correo de confirmación me cayó en la carpeta de spam",
            "seus emails tão indo pro meu spam",
            "ya revisé spam",
            "I checked spam already, the code never came",
            "olhei o spam e nada",
            "check your spam folder they said, nothing there",
            "ese depto no me interesa, tenés algo con balcón?",
            "esse cartão não me interessa, tem algum sem anuidade?",
            "hoy no me llamen que estoy sin señal, mañana sí",
            "today dont call me, im in meetings",
            "not interested just now, still weighing up installers",
            "cancelar pedido",
            "no me interesa cambiarme de plan, el que tengo me cubre todo",
            "I have no interest in refinancing my house.",
            "não tenho interesse em trocar de operadora",
            "los martes no me llamen que no estoy en casa",
            "por favor, não me liguem antes das 10, eu trabalho à noite",
            "dont call me on sundays pls",
            "stop payment pls",
            "remove my sister from the order, she's not coming",
            "remove my dad from your order, he's not eating",
            "remove my daughter from the family plan",
            "stop sending the box, I'm cancelling",
            "stop sending me the box",
            "Parar renovación automática",
            "Parar antecipação automática",
            "como descadastro um produto que não vendo mais?",
            "remove my ex from the shared account",
            "saquen mi numero viejo de la cuenta, ahora uso este",
            "tirem meu número antigo da conta, agora uso este",
            "unsubscribe me from paper statements please, I only want them online",
            "não quero mais receber a fatura em papel, só no email",
            "ya no me manden el recibo impreso, nomas por correo electrónico porfa",
            "cómo le hago para que no me manden los estados de cuenta en papel, ya los quiero nada más por correo",
            "baja de tarjeta adicional",
            "cancelar cita",
            "cancela o pix agendado do dia 20, nao quero mais pagar ele",
            "no quiero más pagar esa cuota",
            "pode tirar meu cartão salvo do aplicativo? não quero mais que fique cadastrado lá",
            "Parar débito automático",
            "Stop automatic debit",
            "Parar domiciliación",
            "Sair do menu",
            "Salir del menú",
            "Sair da fila",
            "End chat",
            "no more auto top-ups on my phone line please",
            "Salir de la fila",
            "chega com esse pedido",
            "no more stock?",
            "tira meu nome da lista de espera da peça, já comprei em outro lugar",
            "sáquenme de la lista de espera",
            "take me off the waiting list, I bought it elsewhere",
            "remove me from the waitlist",
            "remove my son of the car policy, he went to live alone",
            "pls remove my brother frm the insurance",
            "desuscríbanme de la garantía extendida mensual, no la voy a seguir pagando",
            "cancelar la póliza",
            "stop sending the technician, my neighbor fixed the fridge",
            "I want to unsubscribe of the waiting list of the depa in Roma Norte",
            "unsubscribe me from the weekly coffee delivery, I've switched brands",
            "opt me out of the overdraft facility i dont want it",
            "take me off the joint acct with my ex",
            "unsubscribe me from the hotstar pack it renews every month",
            "cancelem a assinatura do clube mensal, não quero mais receber a caixa",
            "please stop sending the meal kits, I'm cancelling my plan",
            "não me mandem mais a caixa, cancelei a assinatura",
            "não me mandem mais o token, quero receber só pelo app",
        ]);
        all_used(&[
            "no me interesa",
            "not interested at all",
            "no me interesa nada de esto",
            "não tenho interesse em nada",
            "not interested in any of it",
            "no me escriban más",
            "stop texting me now",
            "stop the messages",
            "stop automated messages",
            "remove my dad from the list, he never signed up",
            "remove me from the order updates list",
            "remove my mom from the order group, she keeps getting the promos",
            "stop sending the newsletter",
            "stop sending me offers",
            "salir del grupo",
            "encaminhado de um amigo: nós dois queremos sair dessa lista viu",
            "cancel the whatsapp messages please, I never signed up",
            "un subscribe",
            "esse num é o numero da cleide para de escreve aqui",
            "pode parar de mandar o catálogo, obrigado",
            "foi sem querer o clique, me tira dos contatos de vcs",
            "cancelar la suscripcion",
            "baja porfa",
            "no quiero mas mensajes",
            "this is spam",
            "no mas spam",
            "stop spamming me",
            "this is spam, remove me",
            "cancelar tudo",
            "chega dessas mensagens",
            "eso no me interesa",
            "pls unsubscribe this number from everything",
            "stop the daily deals",
            "remove me from the daily deals list",
            "não quero mais receber essas ofertas",
            "no quiero recibir más mensajes",
            "this number is not for Wanjiku, stop messaging me about her loan",
            "STOP texting me about the warranty extension. Final warning.",
            "Não me liguem mais oferecendo garantia estendida.",
            "não quero mais receber o cardápio do dia no whats",
            "take me off the weekly promo list",
            "unsubscribe me from the sms pack offers",
            "stop sending me promos and paper statements",
            "baja de la lista",
            "descadastrar meu número",
            "porfa dejen de escribirme cada semana",
            "i want to unsubscribe",
            "no more updates please",
            "no quiero mas mensajes",
            "não quero mais receber",
            "no quiero más recibir nada",
            "não quero mais ser incomodado",
            "não quero mais que me liguem",
            "no quiero más que me manden promociones",
            "quero sair",
            "desde hoy no me escriban",
            "a partir de amanhã não me mandem nada",
            "hoy mismo dejen de escribirme",
            "hoy no me escriban más",
            "from today dont text me",
            "cancelar contato",
            "no me interesa recibir",
            "not interested in hearing from you",
            "não tenho interesse em continuar recebendo",
            "not interested in anything you sell",
            "no me interesa seguir con ustedes",
            "pela segunda vez, parem de mandar mensagem",
            "desde el lunes no me escriban",
            "parar envio",
            "stop payment reminders",
            "tira meu nome da lista",
            "tira meu nome da lista de vocês, espera aí que eu vou bloquear",
            "take me off the list, I've been waiting for weeks for you to stop",
            "remove me of your list",
            "remove my number of the list",
            "stop sending me the technician's promos",
        ]);
    }

    #[test]
    fn an_exclamation_of_delight_is_no_request() {
        for text in [
            "stop it 😂",
            "stop! thats so cute 😍",
            "STOP 🤣🤣",
            "pare kkkk que lindo",
            "pare, muito fofo",
            "basta jajaja",
            "hahaha stop 😂",
            "stop!! 😂 that meme you sent is too good",
            "omg stop 😍😍",
        ] {
            assert!(opt_out_scope(text).contains(Scope::FRAGMENT), "{text}");
            assert!(!opt_out_used(text), "{text}");
        }
        // Sending or marketing named, not first, too long, or no delight: a stop.
        all_used(&[
            "stop texting me lol",
            "para de mandar msg kkkk",
            "stop 😂 no more promos pls",
            "lol stop",
            "stop",
            "stop it",
            "stop it 😡",
            "basta, precios nuevos otra vez",
            "stop it, I already told you five times, I want nothing lol",
            "stop! 😂 you text me way too much",
            "omg stop",
            "ugh stop 😂",
        ]);
    }

    #[test]
    fn what_the_writer_does_is_no_request() {
        assert!(!opt_out_used(
            "Delete the beneficiary Maria Solano from my favorites, I don't send to her anymore"
        ));
        assert!(!opt_out_used("we do not send cash to that account anymore"));
        all_used(&[
            "I dont want you to send me anything",
            "I don't send money anymore, don't send me the remittance promos",
            "don't send me offers",
            "pls dont send me more",
        ]);
    }

    #[test]
    fn a_role_on_an_account_is_no_list() {
        for text in [
            "Remove me as joint holder on my mother's account please",
            "remove me as a beneficiary of the policy",
            "take me off as authorized user on the card",
            "take me off as cosigner on the loan",
            "Please remove my wife as nominee and add my son",
            "remove my father as guarantor",
        ] {
            assert!(opt_out_scope(text).contains(Scope::LIMITED), "{text}");
        }
        all_used(&[
            "remove me as a contact",
            "remove me asap",
            "remove me as soon as you can",
            "remove my number as soon as possible",
            "saquen mi número de la lista",
            "tirem meu número do grupo",
            "quero descadastrar um número",
        ]);
    }

    #[test]
    fn right_now_narrows_a_refusal_and_text_asks_for_writing() {
        for text in ["not interested rn", "not interested atm, maybe next month"] {
            assert!(opt_out_scope(text).contains(Scope::LIMITED), "{text}");
        }
        assert!(opt_out_used("not interested"));
        assert!(opt_out_used("not interested at all"));
        for text in [
            "stop sending voice notes, txt pls",
            "stop sending voice notes, text only",
            "stop sending audios and just text",
        ] {
            assert!(opt_out_scope(text).contains(Scope::LIMITED), "{text}");
        }
        assert!(opt_out_used("stop sending voice notes"));
        assert!(opt_out_used("stop sending voice notes and text messages"));
    }

    #[test]
    fn a_stop_disowned_as_sent_by_mistake_is_no_request() {
        for text in [
            "stop sending me, oh hang on, no ignore that, that was meant for the gym app not you",
            "I said NO MORE MESSAGES... to my ex 😂 wrong chat",
            "unsubscribe, scratch that, wrong business",
            "stop texting me pls — disregard",
        ] {
            assert!(opt_out_scope(text).contains(Scope::FRAGMENT), "{text}");
        }
        all_used(&[
            "wrong number, stop texting me",
            "stop texting me, wrong number",
            "stop sending me promos, I ignore them anyway",
            "stop, you keep ignoring me",
        ]);
    }

    #[test]
    fn leaving_the_list_is_a_stop_in_english_too() {
        all_used(&[
            "where is the button for unsubscribe? I want to leave the list",
            "how do I leave your list",
            "get me off your mailing list",
            "pls let me leave the promo list",
        ]);
        none_used(&[
            "I'm not asking to leave the list, the emails just go to my spam folder",
            "if I leave the list do I lose puntos?",
            "I didn't ask to leave the list! keep sending the deals",
            "take me off the waiting list, I bought it elsewhere",
            "leave me on the list please",
        ]);
    }

    #[test]
    fn no_interest_in_stopping_refuses_the_stop() {
        none_used(&[
            "I'm not interested in stopping the texts, the maintenance tips are actually handy",
            "not interested in unsubscribing, just wanted to update my email",
            "não tenho interesse em sair da lista, só mudei de número",
            "no tengo interés en darme de baja, solo cambien mi correo",
        ]);
        all_used(&[
            "not interested in your texts",
            "not interested in receiving messages",
            "not interested, stop the texts",
        ]);
    }

    #[test]
    fn a_stop_right_after_a_refusal_of_interest_is_a_request() {
        // WhatsApp runs the two together with no comma; the "not" is the refusal's.
        all_used(&[
            "not interested stop texting me",
            "no me interesa dejen de escribirme",
            "não tenho interesse parem de mandar mensagem",
        ]);
        assert!(!opt_out_used(
            "not interested in stopping the texts, they're handy"
        ));
    }

    #[test]
    fn a_stop_of_the_bot_or_the_staff_sent_is_no_request() {
        none_used(&[
            "human please, stop with this bot",
            "para de mandar esse entregador, ele foi grosso com minha mãe",
            "stop sending the driver, I'll pick it up myself",
            "dejen de mandar al técnico ese, no sabe nada",
        ]);
        all_used(&[
            "stop sending me the bot messages",
            "stop calling me, your bot is useless",
            "para de mandar mensagem do robô",
            "stop sending the driver's promo codes to my phone",
        ]);
    }

    #[test]
    fn stop_doing_something_else_is_no_request() {
        none_used(&[
            "stop looking, I go take it",
            "stop worrying, it's paid already",
            "stop playing, just tell me the last price",
        ]);
        all_used(&[
            "stop texting",
            "stop bugging me",
            "stop harassing me",
            "stop wasting my time",
            "stop pestering, I said no",
            "stop ringing, I'm at work",
            "stop pinging, not buying",
        ]);
    }

    #[test]
    fn malay_and_indonesian_stops_of_messages_are_stops() {
        all_used(&[
            "tolong jangan kirim pesan promo lagi ya, thanks",
            "berhenti kirim pesan ke nomor ini",
            "jangan hantar lagi mesej promosi ni. terima kasih",
            "tak nak terima msg macam ni lagi",
        ]);
        // What is sent is not the messages, or "bukan" (not) negates the stop.
        none_used(&[
            "jangan hantar lagi rider yang sama, dia rude gila semalam",
            "tak nak terima parcel ni, wrong item. nak return",
            "bukan mau stop langganan, cuma minta harga lebih murah aja kak",
            "bukan spam, I just wanna say your chicken the best 👍👍",
        ]);
    }

    #[test]
    fn would_right_before_a_stop_with_a_but_is_a_hypothesis() {
        for text in [
            "I'd block you but you're the only ones who text me on my birthday 🥲",
            "I would unsubscribe but your deals are too good",
        ] {
            assert!(opt_out_scope(text).contains(Scope::CONDITIONAL), "{text}");
        }
        all_used(&[
            "I'd like to unsubscribe",
            "would you remove me from the list",
            "I'd block you, stop texting me",
            "I'd like you to stop texting me, but thanks for the help",
        ]);
    }

    #[test]
    fn an_appointment_is_a_thing_and_a_collection_notice_a_message() {
        assert!(opt_out_scope("Cancelar marcação").contains(Scope::LIMITED));
        // "cobro"/"cobrança" is a charge in "Parar cobro automático" but a collection
        // notice, a message, in "parem de mandar cobrança": it is no thing.
        assert!(opt_out_used("parem de mandar cobrança dela aqui"));
        assert!(opt_out_used(
            "eu não sou o Carlos, para de me mandar cobrança de outra pessoa"
        ));
    }

    #[test]
    fn apostrophes_inside_words_do_not_quote() {
        assert!(!quoted("don't stop, it's fine", 6, 10));
        assert!(quoted("dice 'stop' ahí", 6, 10));
    }
}
