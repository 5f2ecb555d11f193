//! The per-rule loops of column-wise scoring: a fit rule compiled once against the
//! shape of its column into a [`Kernel`], then run over one block of rows at a time.

use super::column::Column;
use super::option_slots::{OptionSlots, Probe, Wide};
use super::predicate::Matcher;
use super::record::Cell;

/// One fit rule ready to run over slices of its column.
pub(crate) enum Kernel<'m> {
    /// The field has no column: every row's cell is null, so the rule adds its
    /// points to all rows or to none.
    Constant(bool),
    /// Numbers within `[lo, hi]`, each end open or closed; an infinite end is
    /// always open, so that NaN and infinities (null) fail a comparison.
    Range {
        lo: f64,
        hi: f64,
        lo_open: bool,
        hi_open: bool,
    },
    /// Numbers equal to one of these.
    NumberIn(Vec<f64>),
    /// Numbers, present (valid and finite) or not.
    NumberExists(bool),
    /// Present text equal to one of `texts` (`negate`: to none of them).
    TextIn {
        /// The values compared with.
        texts: Vec<&'m str>,
        /// Match the text equal to none of them instead.
        negate: bool,
    },
    /// Text, present (non-empty) or not.
    TextExists(bool),
    /// A text rule on a column read through a [`Codebook`]: points by code.
    Coded {
        /// Which codebook (of the blocks' codes) the rule reads.
        book: usize,
        /// Points for each code (codes fit a `u8`, so no bounds check per row).
        points: Box<[f64; 256]>,
    },
    /// A rule on a boolean column: its points for a null, a `false` and a `true` cell,
    /// decided once.
    ByBool([f64; 3]),
    /// A rule on a categorical column: its points for each distinct value, decided
    /// once (padded with zeros to a power-of-two length); rows look theirs up.
    ByValue(Vec<f64>),
    /// Anything else: the row path's matcher, one cell at a time.
    Cells(&'m Matcher<'m>),
}

impl<'m> Kernel<'m> {
    /// Picks the loop for `m` (worth `points`) on `col` (`None`: the field has no
    /// column).
    pub(crate) fn new(m: &'m Matcher<'m>, points: f64, col: Option<&Column<'_>>) -> Self {
        let Some(col) = col else {
            return Kernel::Constant(m.matches(Cell::Null));
        };
        if let Column::Bool { .. } = col {
            let points_for = |c: Cell<'_>| if m.matches(c) { points } else { 0.0 };
            return Kernel::ByBool([
                points_for(Cell::Null),
                points_for(Cell::Bool(false)),
                points_for(Cell::Bool(true)),
            ]);
        }
        if let Column::Categorical { values, .. } = col {
            let mut by_value: Vec<f64> = values
                .iter()
                .map(|v| {
                    let hit = m.matches(v.map_or(Cell::Null, Cell::text));
                    if hit {
                        points
                    } else {
                        0.0
                    }
                })
                .collect();
            // A power-of-two length, so a row's lookup masks its key instead of
            // checking bounds (keys are checked below `values.len()` beforehand).
            by_value.resize(values.len().next_power_of_two(), 0.0);
            return Kernel::ByValue(by_value);
        }
        let numbers = matches!(col, Column::Number { .. });
        let text = matches!(col, Column::Text(_) | Column::Utf8 { .. });
        match m {
            Matcher::Range(r) if numbers => {
                let lo = r.gte.or(r.gt).unwrap_or(f64::NEG_INFINITY);
                let hi = r.lte.or(r.lt).unwrap_or(f64::INFINITY);
                Kernel::Range {
                    lo,
                    hi,
                    lo_open: r.gt.is_some() || lo.is_infinite(),
                    hi_open: r.lt.is_some() || hi.is_infinite(),
                }
            }
            Matcher::OneOf(opts, false) if numbers => all(opts, |o| match o {
                Cell::Number(n) => Some(n),
                _ => None,
            })
            .map_or(Kernel::Cells(m), Kernel::NumberIn),
            Matcher::Exists(want) if numbers => Kernel::NumberExists(*want),
            Matcher::OneOf(opts, negate) if text => all(opts, |o| match o {
                Cell::Text(t) => Some(t),
                _ => None,
            })
            .map_or(Kernel::Cells(m), |texts| Kernel::TextIn {
                texts,
                negate: *negate,
            }),
            Matcher::Exists(want) if text => Kernel::TextExists(*want),
            _ => Kernel::Cells(m),
        }
    }

    /// Adds `points` to `target[i]` for every row `i` of `col` (a block, as long as
    /// `target`; `None` when the field has no column) whose cell matches.
    ///
    /// Number loops are branch-free (a select per row, which the compiler vectorizes):
    /// on unsorted data a branch per row mispredicts about half the time. Adding 0.0
    /// leaves every total as the row path computes it.
    /// `codes` holds the block's codes of every codebook, for [`Kernel::Coded`].
    ///
    /// Always inlined, so that each build of the batch loop (baseline and AVX2) gets
    /// these loops compiled for its instructions.
    #[inline(always)]
    pub(crate) fn run(
        &self,
        points: f64,
        col: Option<&Column<'_>>,
        codes: &[Vec<u8>],
        target: &mut [f64],
    ) {
        let pick = |hit: bool| if hit { points } else { 0.0 };
        match (self, col) {
            (Kernel::Coded { book, points }, _) => {
                for (x, c) in target.iter_mut().zip(&codes[*book]) {
                    *x += points[usize::from(*c)];
                }
            }
            (Kernel::Constant(hit), _) => {
                if *hit {
                    target.iter_mut().for_each(|x| *x += points);
                }
            }
            (
                Kernel::Range {
                    lo,
                    hi,
                    lo_open,
                    hi_open,
                },
                Some(Column::Number { values, valid }),
            ) => {
                let (lo, hi, valid) = (*lo, *hi, *valid);
                match (*lo_open, *hi_open) {
                    (false, false) => range::<false, false>(lo, hi, points, values, valid, target),
                    (false, true) => range::<false, true>(lo, hi, points, values, valid, target),
                    (true, false) => range::<true, false>(lo, hi, points, values, valid, target),
                    (true, true) => range::<true, true>(lo, hi, points, values, valid, target),
                }
            }
            // One number (`equals = 0`) compared as such: a loop that vectorizes, where
            // `contains` over the list is a loop with a branch per row.
            (Kernel::NumberIn(nums), Some(Column::Number { values, valid })) => match nums[..] {
                [n] => add_where(target, values, *valid, points, |v, ok| ok & (v == n)),
                _ => add_where(target, values, *valid, points, |v, ok| {
                    ok & nums.iter().fold(false, |hit, n| hit | (v == *n))
                }),
            },
            (Kernel::NumberExists(want), Some(Column::Number { values, valid })) => {
                // Present means valid and finite (NaN and infinities are null).
                add_where(target, values, *valid, points, |v, ok| {
                    (ok & v.is_finite()) == *want
                });
            }
            // Text rules whose column has no codebook (more options than codes). Null
            // and empty text match neither way.
            (Kernel::TextIn { texts, negate }, Some(Column::Text(values))) => {
                for (x, v) in target.iter_mut().zip(values.iter()) {
                    if let Some(s) = v.filter(|s| !s.is_empty()) {
                        let found = texts.iter().any(|t| same_bytes(t.as_bytes(), s.as_bytes()));
                        *x += pick(found != *negate);
                    }
                }
            }
            (Kernel::TextExists(want), Some(Column::Text(values))) => {
                for (x, v) in target.iter_mut().zip(values.iter()) {
                    *x += pick(v.is_some_and(|s| !s.is_empty()) == *want);
                }
            }
            (Kernel::TextIn { .. } | Kernel::TextExists(_), Some(col @ Column::Utf8 { .. })) => {
                let texts: &[&str] = match self {
                    Kernel::TextIn { texts, .. } => texts,
                    _ => &[],
                };
                for (i, x) in target.iter_mut().enumerate() {
                    let hit = match (self, col.cell(i)) {
                        (Kernel::TextIn { negate, .. }, Cell::Text(s)) => {
                            texts.iter().any(|t| same_bytes(t.as_bytes(), s.as_bytes())) != *negate
                        }
                        (Kernel::TextExists(want), cell) => matches!(cell, Cell::Text(_)) == *want,
                        _ => false,
                    };
                    *x += pick(hit);
                }
            }
            (Kernel::ByBool(table), Some(Column::Bool { values, valid })) => match valid {
                None => {
                    for (x, v) in target.iter_mut().zip(values.iter()) {
                        *x += table[1 + usize::from(*v)];
                    }
                }
                Some(valid) => {
                    for ((x, v), ok) in target.iter_mut().zip(values.iter()).zip(valid.iter()) {
                        *x += table[usize::from(*ok) * (1 + usize::from(*v))];
                    }
                }
            },
            (Kernel::ByValue(by_value), Some(Column::Categorical { keys, .. })) => {
                let mask = by_value.len() - 1;
                for (x, k) in target.iter_mut().zip(keys.iter()) {
                    *x += by_value[*k as usize & mask];
                }
            }
            (Kernel::Cells(m), Some(col)) => {
                for (i, x) in target.iter_mut().enumerate() {
                    if m.matches(col.cell(i)) {
                        *x += points;
                    }
                }
            }
            // `new` picks a kernel from the column's shape, and blocks keep it.
            _ => unreachable!("kernel run on a column of another shape"),
        }
    }
}

/// Every option as a `T`, or `None` when one is of another kind.
fn all<'m, T>(opts: &[Cell<'m>], as_t: impl Fn(Cell<'m>) -> Option<T>) -> Option<Vec<T>> {
    opts.iter().map(|o| as_t(*o)).collect()
}

/// Adds `points` where `values` lie within `lo..hi` (ends open as the flags say), one
/// loop per kind of range so that the loop holds no branch and vectorizes. Ends are
/// normalized by [`Kernel::new`]: a comparison fails on NaN and on infinities.
#[inline(always)]
fn range<const LO_OPEN: bool, const HI_OPEN: bool>(
    lo: f64,
    hi: f64,
    points: f64,
    values: &[f64],
    valid: Option<&[bool]>,
    target: &mut [f64],
) {
    add_where(target, values, valid, points, |v, ok| {
        let above = if LO_OPEN { v > lo } else { v >= lo };
        let below = if HI_OPEN { v < hi } else { v <= hi };
        ok & above & below
    });
}

/// Adds `points` to `target[i]` where `hit(values[i], valid[i])` (valid is `true`
/// without a mask). A select per row, no branch: the loop vectorizes.
#[inline(always)]
fn add_where(
    target: &mut [f64],
    values: &[f64],
    valid: Option<&[bool]>,
    points: f64,
    hit: impl Fn(f64, bool) -> bool,
) {
    let pick = |h: bool| if h { points } else { 0.0 };
    match valid {
        None => {
            for (x, &v) in target.iter_mut().zip(values) {
                *x += pick(hit(v, true));
            }
        }
        Some(valid) => {
            for ((x, &v), &ok) in target.iter_mut().zip(values).zip(valid) {
                *x += pick(hit(v, ok));
            }
        }
    }
}

/// The text values a column's rules name, each given a one-byte code, so that a text
/// column is read once per block (one lookup per row) however many rules test it, and
/// each rule becomes a branch-free table lookup. Code 0 is null or empty text, 1 is
/// any other text, `2 + i` is `options[i]`.
pub(crate) struct Codebook<'m> {
    options: Vec<&'m str>,
    keys: Vec<Key>,
    /// The options as [`Wide`] words (an option longer than 16 bytes matches no word).
    wide: Vec<Wide>,
    /// The options of up to 16 bytes and the empty value in hashed slots, when a
    /// multiplier separating them was found: how [`Codebook::encode_utf8`] codes a row.
    slots: Option<OptionSlots>,
    /// Each code, laid out by [`by_index`]: what [`Codebook::encode_utf8`] reads.
    codes: Box<[u8; INDEXES]>,
}

/// Code of null and empty text.
const NULL_CODE: u8 = 0;
/// Code of text that is none of the options.
const OTHER_CODE: u8 = 1;

impl<'m> Codebook<'m> {
    /// Most options a codebook holds (codes are bytes).
    pub(crate) const MAX_OPTIONS: usize = 254;

    /// A codebook of `options` (repeats are ignored); `None` past [`Self::MAX_OPTIONS`].
    pub(crate) fn new<'k>(kernels: impl IntoIterator<Item = &'k Kernel<'m>>) -> Option<Self>
    where
        'm: 'k,
    {
        let mut options: Vec<&str> = Vec::new();
        for k in kernels {
            if let Kernel::TextIn { texts, .. } = k {
                for t in texts {
                    if !t.is_empty() && !options.contains(t) {
                        options.push(t);
                    }
                }
            }
        }
        if options.len() > Self::MAX_OPTIONS {
            return None;
        }
        // Rows longer than a word never reach the slots, so longer options stay out.
        let short: Vec<(&[u8], u8)> = std::iter::once((&b""[..], NULL_CODE))
            .chain(
                options
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| o.len() <= Wide::EXACT_UP_TO)
                    .map(|(i, o)| (o.as_bytes(), i as u8 + 2)),
            )
            .collect();
        let slots = OptionSlots::new(&short, OTHER_CODE);
        let identity: [u8; 256] = std::array::from_fn(|c| c as u8);
        Some(Codebook {
            keys: options.iter().map(|o| Key::of(o.as_bytes())).collect(),
            wide: options.iter().map(|o| Wide::of(o.as_bytes())).collect(),
            codes: by_index(slots.as_ref(), &identity),
            slots,
            options,
        })
    }

    /// `kernel` (a text rule on this codebook's column) as a lookup by code; `None`
    /// for rules of other kinds.
    pub(crate) fn coded(
        &self,
        book: usize,
        kernel: &Kernel<'_>,
        points: f64,
    ) -> Option<Kernel<'m>> {
        let mut table = Box::new([0.0; 256]);
        let mut set = |code: usize, hit: bool| table[code] = if hit { points } else { 0.0 };
        match kernel {
            Kernel::TextIn { texts, negate } => {
                set(usize::from(OTHER_CODE), *negate);
                for (i, o) in self.options.iter().enumerate() {
                    set(2 + i, texts.contains(o) != *negate);
                }
            }
            Kernel::TextExists(want) => {
                set(usize::from(NULL_CODE), !*want);
                set(usize::from(OTHER_CODE), *want);
                (0..self.options.len()).for_each(|i| set(2 + i, *want));
            }
            _ => return None,
        }
        Some(Kernel::Coded {
            book,
            points: table,
        })
    }

    /// The codes of `values` into `out` (cleared first).
    #[inline(always)]
    pub(crate) fn encode(&self, values: &[Option<&str>], out: &mut Vec<u8>) {
        out.clear();
        out.extend(values.iter().map(|v| self.code(*v)));
    }

    /// Adds `points[code]` of each of `values` to `target` (as long): a column whose
    /// rules fold into one table, scored without writing its codes.
    #[inline(always)]
    pub(crate) fn add_text(
        &self,
        values: &[Option<&str>],
        points: &[f64; 256],
        target: &mut [f64],
    ) {
        for (x, v) in target.iter_mut().zip(values) {
            *x += points[usize::from(self.code(*v))];
        }
    }

    /// [`Codebook::encode`] over a [`Column::Utf8`] block, read in place: each row's
    /// bytes as one 16-byte word (masked to its length), looked up in the options'
    /// slots (or, without slots, compared with every option's word); rows the mask
    /// marks null are null.
    #[inline(always)]
    pub(crate) fn encode_utf8(
        &self,
        offsets: &[i32],
        bytes: &[u8],
        valid: Option<&[bool]>,
        out: &mut Vec<u8>,
    ) {
        out.clear();
        out.resize(offsets.len().saturating_sub(1), NULL_CODE);
        self.each_utf8(offsets, bytes, valid, out, &self.codes, |o, code| *o = code);
    }

    /// The table [`Codebook::add_utf8`] reads for a column whose rules' points by code
    /// (all of them folded into one table) are `points`.
    pub(crate) fn points_by_index(&self, points: &[f64; 256]) -> Box<[f64; INDEXES]> {
        by_index(self.slots.as_ref(), points)
    }

    /// Adds to `target` (as long as the block) the points of each row of a
    /// [`Column::Utf8`] block, `points` from [`Codebook::points_by_index`]:
    /// [`Codebook::encode_utf8`] and the lookup of each code's points in one pass,
    /// without writing the codes and reading them back.
    #[inline(always)]
    pub(crate) fn add_utf8(
        &self,
        offsets: &[i32],
        bytes: &[u8],
        valid: Option<&[bool]>,
        points: &[f64; INDEXES],
        target: &mut [f64],
    ) {
        self.each_utf8(offsets, bytes, valid, target, points, |x, p| *x += p);
    }

    /// For each row of a [`Column::Utf8`] block and its entry of `out` (as long),
    /// `put(entry, table[i])`, where `i` is the row's code or, through the options'
    /// slots, its [`Probe::index`]: `table` is [`by_index`] of a table by code (the
    /// codes themselves, or points). A row the mask marks null reads entry 0 (the null
    /// code's).
    ///
    /// Blocks of ASCII rows of at most 16 bytes (checked once per block) take a loop
    /// with no slow path in it; others a loop that handles any row.
    #[inline(always)]
    fn each_utf8<T, V: Copy>(
        &self,
        offsets: &[i32],
        bytes: &[u8],
        valid: Option<&[bool]>,
        out: &mut [T],
        table: &[V; INDEXES],
        put: impl Fn(&mut T, V),
    ) {
        match &self.slots {
            Some(slots) => {
                let probe = slots.probe();
                let (Some(first), Some(last)) = (offsets.first(), offsets.last()) else {
                    return;
                };
                // Rows of ASCII text are UTF-8: checked once for the block's bytes
                // rather than per row (the common case, and a few instructions a row).
                let ascii = bytes
                    .get(*first as usize..*last as usize)
                    .is_some_and(<[u8]>::is_ascii);
                // Whether every row has 16 bytes from its start within the buffer and
                // at most 16 of its own (a branch-free fold, which vectorizes): then no
                // row needs the slow path, whose call would keep the loop's values on
                // the stack rather than in registers.
                let near = (*last as u32 as usize).saturating_add(Wide::EXACT_UP_TO) <= bytes.len();
                let longest = offsets
                    .iter()
                    .zip(offsets.get(1..).unwrap_or_default())
                    .fold(0, |m, (s, e)| m.max(e.wrapping_sub(*s) as u32));
                if ascii && near && longest as usize <= Wide::EXACT_UP_TO {
                    let xor = slots.xor();
                    if xor {
                        each_row(offsets, valid, out, table, put, |s, e| {
                            index_short::<true>(probe, bytes, s, e)
                        });
                    } else {
                        each_row(offsets, valid, out, table, put, |s, e| {
                            index_short::<false>(probe, bytes, s, e)
                        });
                    }
                } else {
                    each_row(offsets, valid, out, table, put, |s, e| {
                        self.index_slotted(probe, slots.xor(), ascii, bytes, s, e)
                    });
                }
            }
            None => each_row(offsets, valid, out, table, put, |s, e| {
                usize::from(self.code_bytes(bytes, s, e))
            }),
        }
    }

    /// Where the code of `bytes[start..end]` lies in a table laid out by [`by_index`],
    /// through the options' slots: one load of the row's 16 bytes, one slot read, one
    /// compare; rows too long for a word or too near the buffer's end through
    /// [`Codebook::code_far`]. `ascii`: whether the block is all ASCII (otherwise a row
    /// that is not UTF-8 is null); `xor`: the slots' hash ([`OptionSlots::xor`]).
    #[inline(always)]
    fn index_slotted(
        &self,
        slots: Probe<'_>,
        xor: bool,
        ascii: bool,
        bytes: &[u8],
        start: usize,
        end: usize,
    ) -> usize {
        let len = end.wrapping_sub(start);
        let chunk = bytes
            .get(start..start + Wide::EXACT_UP_TO)
            .and_then(|c| <&[u8; 16]>::try_from(c).ok());
        match chunk {
            Some(chunk) if len <= Wide::EXACT_UP_TO => {
                let (word, ascii_row) = Wide::at(chunk, len);
                let index = if xor {
                    slots.index::<true>(&word)
                } else {
                    slots.index::<false>(&word)
                };
                if ascii || ascii_row || !Self::not_utf8(chunk.get(..len).unwrap_or_default()) {
                    index
                } else {
                    usize::from(NULL_CODE)
                }
            }
            _ => usize::from(self.code_far(bytes, start, end)),
        }
    }

    /// Whether a row is not UTF-8: then it is null (as in the row path), whatever
    /// option its word matched (a word tells UTF-8 values apart, not others).
    #[cold]
    #[inline(never)]
    fn not_utf8(row: &[u8]) -> bool {
        std::str::from_utf8(row).is_err()
    }

    /// The code of `bytes[start..end]` (offsets checked by the caller; out-of-range ones
    /// read as null), comparing the row's word with every option's.
    #[inline(always)]
    fn code_bytes(&self, bytes: &[u8], start: usize, end: usize) -> u8 {
        let len = end.wrapping_sub(start);
        let chunk = bytes
            .get(start..start.wrapping_add(Wide::EXACT_UP_TO))
            .and_then(|c| <&[u8; 16]>::try_from(c).ok());
        let Some(chunk) = chunk.filter(|_| len <= Wide::EXACT_UP_TO) else {
            return self.code_far(bytes, start, end);
        };
        let (key, ascii) = Wide::at(chunk, len);
        let mut code = OTHER_CODE;
        for (i, k) in self.wide.iter().enumerate().rev() {
            code = if k.same(&key) { i as u8 + 2 } else { code };
        }
        if len == 0 {
            NULL_CODE
        } else if ascii || !Self::not_utf8(&chunk[..len]) {
            code
        } else {
            NULL_CODE
        }
    }

    /// [`Codebook::index_slotted`] and [`Codebook::code_bytes`] for rows longer than a
    /// [`Wide`] word or within 16 bytes of the buffer's end.
    #[cold]
    #[inline(never)]
    fn code_far(&self, bytes: &[u8], start: usize, end: usize) -> u8 {
        self.code(
            bytes
                .get(start..end)
                .and_then(|b| std::str::from_utf8(b).ok()),
        )
    }

    #[inline]
    fn code(&self, value: Option<&str>) -> u8 {
        let s = value.map_or(&[][..], str::as_bytes);
        let key = Key::of(s);
        // A select per option rather than an early return: which option a row holds
        // is data, and a branch on it mispredicts. No option is empty, so empty text
        // (and null) finds none.
        let mut code = OTHER_CODE;
        for (i, k) in self.keys.iter().enumerate().rev() {
            code = if k.same(&key) { i as u8 + 2 } else { code };
        }
        // Keys tell values of up to 12 bytes apart; longer ones are compared whole.
        if code != OTHER_CODE
            && s.len() > Key::EXACT_UP_TO
            && self.options[usize::from(code - 2)].as_bytes() != s
        {
            return self
                .options
                .iter()
                .position(|o| o.as_bytes() == s)
                .map_or(OTHER_CODE, |i| i as u8 + 2);
        }
        if s.is_empty() {
            NULL_CODE
        } else {
            code
        }
    }
}

/// Entries of a table read by [`Codebook::each_utf8`]: one per code, then (for a
/// codebook with slots) one per slot.
pub(crate) const INDEXES: usize = OptionSlots::INDEXES;

/// `by_code` laid out for [`Codebook::each_utf8`]: each code's entry, then (with
/// `slots`) each slot's code's.
fn by_index<T: Copy>(slots: Option<&OptionSlots>, by_code: &[T; 256]) -> Box<[T; INDEXES]> {
    match slots {
        Some(slots) => slots.by_index(by_code),
        None => {
            let mut table = Box::new([by_code[0]; INDEXES]);
            table[..256].copy_from_slice(by_code);
            table
        }
    }
}

/// [`Codebook::index_slotted`] for a row of ASCII text of at most 16 bytes with 16
/// bytes from its start within `bytes` (the caller checked the block): no slow path,
/// so no call in the loop. `XOR`: the slots' hash ([`OptionSlots::xor`]).
#[inline(always)]
fn index_short<const XOR: bool>(slots: Probe<'_>, bytes: &[u8], start: usize, end: usize) -> usize {
    // Never the zeros (the block was checked), and no call on the way.
    let chunk = bytes
        .get(start..start + Wide::EXACT_UP_TO)
        .and_then(|c| <&[u8; 16]>::try_from(c).ok())
        .unwrap_or(&[0; 16]);
    let (word, _) = Wide::at(chunk, end.wrapping_sub(start));
    slots.index::<XOR>(&word)
}

/// For each row `start..end` of `offsets` and its entry of `out`, `put(entry,
/// table[index(start, end)])`, or `table[0]` for a row `valid` marks null (the index
/// masked to 0, with no branch: which rows are null is data).
///
/// Never inlined: one small function per kind of row keeps the loop's values in
/// registers (inside the batch loop, the compiler kept half of them on the stack and
/// reloaded them every row). The loop is scalar, so the AVX2 build of the caller has
/// nothing to add to it.
#[inline(never)]
fn each_row<T, V: Copy>(
    offsets: &[i32],
    valid: Option<&[bool]>,
    out: &mut [T],
    table: &[V; INDEXES],
    put: impl Fn(&mut T, V),
    index: impl Fn(usize, usize) -> usize,
) {
    let Some((first, ends)) = offsets.split_first() else {
        return;
    };
    // Through `u32`: a (refused) negative offset reads past the end, as null, and the
    // compiler knows `start + 16` cannot overflow.
    let mut start = *first as u32 as usize;
    // Indexes are below `INDEXES` (a power of two): a mask rather than a bounds check.
    match valid {
        None => {
            for (o, end) in out.iter_mut().zip(ends) {
                let end = *end as u32 as usize;
                put(o, table[index(start, end) & (INDEXES - 1)]);
                start = end;
            }
        }
        Some(valid) => {
            for ((o, end), ok) in out.iter_mut().zip(ends).zip(valid) {
                let end = *end as u32 as usize;
                let at = index(start, end) & usize::from(*ok).wrapping_neg();
                put(o, table[at & (INDEXES - 1)]);
                start = end;
            }
        }
    }
}

/// A value's length and three 4-byte windows of it (at the start, the middle and the
/// end): equal keys mean equal values for values of up to [`Key::EXACT_UP_TO`] bytes,
/// where the windows cover every byte. The only branch is on "shorter than 4 bytes",
/// which a categorical column rarely mixes (country codes are all short, channel names
/// all long), unlike the exact length, which varies from row to row.
#[derive(Clone, Copy)]
struct Key(usize, u64, u32);

impl Key {
    const EXACT_UP_TO: usize = 12;

    /// Equality with `&` rather than `&&`: no branch per field.
    #[inline]
    fn same(&self, other: &Key) -> bool {
        (self.0 == other.0) & (self.1 == other.1) & (self.2 == other.2)
    }

    #[inline]
    fn of(b: &[u8]) -> Self {
        let n = b.len();
        let window = |at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap_or([0; 4]));
        if n >= 4 {
            Key(
                n,
                u64::from(window(0)) | u64::from(window(n / 2 - 2)) << 32,
                window(n - 4),
            )
        } else {
            let byte = |at: usize| b.get(at).map_or(0, |c| u64::from(*c));
            Key(n, byte(0) | byte(1) << 8 | byte(2) << 16, 0)
        }
    }
}

/// Byte equality without a call to `memcmp` for the short values categorical
/// columns hold (channel, country, segment): up to 16 bytes are compared as two
/// overlapping machine words.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| u64::from_ne_bytes(s[at..at + 8].try_into().unwrap_or([0; 8]));
    let half = |s: &[u8], at: usize| u32::from_ne_bytes(s[at..at + 4].try_into().unwrap_or([0; 4]));
    match n {
        0 => true,
        1..=3 => a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1],
        4..=7 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::{same_bytes, Codebook, Kernel, NULL_CODE, OTHER_CODE};

    proptest::proptest! {
        /// A row's code is its option's, whatever the lengths (keys collide past 12
        /// bytes on two letters, and the whole compare then decides).
        #[test]
        fn codes_name_the_equal_option(
            options in proptest::collection::vec("[ab]{0,20}", 0..12),
            values in proptest::collection::vec(proptest::option::of("[ab]{0,20}"), 0..60),
        ) {
            let opts: Vec<&str> = options.iter().map(String::as_str).collect();
            let kernel = Kernel::TextIn {
                texts: opts,
                negate: false,
            };
            let book = Codebook::new([&kernel]).unwrap();
            let cells: Vec<Option<&str>> = values.iter().map(|v| v.as_deref()).collect();
            let mut codes = Vec::new();
            book.encode(&cells, &mut codes);
            for (v, code) in cells.iter().zip(&codes) {
                let want = match v {
                    None | Some("") => NULL_CODE,
                    Some(s) => book.options.iter().position(|o| o == s).map_or(OTHER_CODE, |i| i as u8 + 2),
                };
                proptest::prop_assert_eq!(*code, want, "{:?}", v);
            }
            // The same rows read in place: near the buffer's end and away from it.
            let mut data = Vec::new();
            let mut offsets = vec![0];
            for v in &cells {
                data.extend_from_slice(v.unwrap_or("").as_bytes());
                offsets.push(data.len() as i32);
            }
            let valid: Vec<bool> = cells.iter().map(Option::is_some).collect();
            let mut in_place = Vec::new();
            book.encode_utf8(&offsets, &data, Some(&valid), &mut in_place);
            proptest::prop_assert_eq!(&in_place, &codes);
            data.extend_from_slice(&[b'a'; 32]);
            book.encode_utf8(&offsets, &data, Some(&valid), &mut in_place);
            proptest::prop_assert_eq!(&in_place, &codes);
        }
    }

    proptest::proptest! {
        /// Rows of any bytes (NUL, bytes that are not UTF-8, the length tags 0xF0..,
        /// 16-byte rows ending in one) get the code of the option they equal, null when
        /// empty or not UTF-8, and "other" otherwise, through the slots and without.
        #[test]
        fn utf8_rows_of_any_bytes_get_their_code(
            options in proptest::collection::btree_set("[ab\0]{1,3}|[ab]{15,17}", 1..6),
            rows in proptest::collection::vec(
                proptest::collection::vec(proptest::sample::select(vec![b'a', b'b', 0, 0xF0, 0xF2, 0xF3, 0xC3, 0xB1, 0xFF]), 0..18),
                0..40,
            ),
            many in proptest::bool::ANY,
        ) {
            let mut opts: Vec<String> = options.into_iter().collect();
            if many {
                // Past the slots' limit: options compared one by one.
                opts.extend((0..60).map(|i| format!("z{i}")));
            }
            let texts: Vec<&str> = opts.iter().map(String::as_str).collect();
            let book = Codebook::new([&Kernel::TextIn { texts, negate: false }]).unwrap();
            proptest::prop_assert_eq!(book.slots.is_none(), many);
            let mut data = Vec::new();
            let mut offsets = vec![0];
            for r in &rows {
                data.extend_from_slice(r);
                offsets.push(data.len() as i32);
            }
            data.extend_from_slice(&[0xF2; 20]); // every row away from the end
            let mut codes = Vec::new();
            book.encode_utf8(&offsets, &data, None, &mut codes);
            for (r, code) in rows.iter().zip(&codes) {
                let want = match std::str::from_utf8(r) {
                    Ok("") | Err(_) => NULL_CODE,
                    Ok(s) => book.options.iter().position(|o| *o == s).map_or(OTHER_CODE, |i| i as u8 + 2),
                };
                proptest::prop_assert_eq!(*code, want, "{:?}", r);
            }
        }
    }

    #[test]
    fn a_sixteen_byte_row_ending_in_a_length_tag_is_not_a_shorter_option() {
        let book = Codebook::new([&Kernel::TextIn {
            texts: vec!["ab"],
            negate: false,
        }])
        .unwrap();
        // "ab", 13 NULs and 0xF2 (the tag of length 2): its word is "ab"'s, and it is
        // not UTF-8. Then "ab\0" (UTF-8, not "ab") and "ab".
        let mut data = b"ab".to_vec();
        data.extend_from_slice(&[0; 13]);
        data.push(0xF2);
        data.extend_from_slice(b"ab\0ab");
        data.extend_from_slice(&[b' '; 16]);
        let mut codes = Vec::new();
        book.encode_utf8(&[0, 16, 19, 21], &data, None, &mut codes);
        assert_eq!(codes, vec![NULL_CODE, OTHER_CODE, 2]);
    }

    proptest::proptest! {
        /// `same_bytes` is byte equality, at every length around its word sizes.
        #[test]
        fn same_bytes_is_equality(a in proptest::collection::vec(0u8..4, 0..40), b in proptest::collection::vec(0u8..4, 0..40)) {
            proptest::prop_assert_eq!(same_bytes(&a, &b), a == b);
            proptest::prop_assert!(same_bytes(&a, &a));
        }

        /// One changed byte anywhere is seen.
        #[test]
        fn same_bytes_sees_any_changed_byte(a in proptest::collection::vec(proptest::prelude::any::<u8>(), 1..40), at in 0usize..40, flip in 1u8..=255) {
            let mut b = a.clone();
            let at = at % a.len();
            b[at] ^= flip;
            proptest::prop_assert!(!same_bytes(&a, &b));
        }
    }
}
