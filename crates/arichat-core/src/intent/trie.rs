//! A byte trie: one walk along a string visits the value of every prefix of it.
//!
//! The lexicon asks, of each token, which phrases start with its key or with a stem of
//! its key or fold, and whether it is (or starts with) a lexicon word. With hash maps
//! that was one lookup per stem length, for the key and for the fold (about twenty per
//! word, each hashing the prefix again); the trie answers all of it in one walk per
//! form, a few instructions per byte.

/// Strings of bytes to values, walked by prefix.
#[derive(Debug, Clone)]
pub(crate) struct Trie<V> {
    /// The root (the empty string) first.
    nodes: Vec<Node<V>>,
    /// The root's children by byte, 0 for none: the root has one per first letter,
    /// too many to scan.
    first: Box<[u32; 256]>,
}

#[derive(Debug, Clone)]
struct Node<V> {
    /// Children by next byte, sorted.
    children: Vec<(u8, u32)>,
    value: V,
}

impl<V: Default> Default for Trie<V> {
    fn default() -> Self {
        Trie {
            nodes: vec![Node {
                children: Vec::new(),
                value: V::default(),
            }],
            first: Box::new([0; 256]),
        }
    }
}

impl<V: Default> Trie<V> {
    /// The value of `key`, inserted as the default if absent.
    pub fn entry(&mut self, key: &str) -> &mut V {
        let mut at = 0;
        for &b in key.as_bytes() {
            at = match self.child(at, b) {
                Some(next) => next,
                None => {
                    let next = self.nodes.len();
                    self.nodes.push(Node {
                        children: Vec::new(),
                        value: V::default(),
                    });
                    let children = &mut self.nodes[at].children;
                    let slot = children.partition_point(|&(c, _)| c < b);
                    children.insert(slot, (b, next as u32));
                    if at == 0 {
                        self.first[usize::from(b)] = next as u32;
                    }
                    next
                }
            };
        }
        &mut self.nodes[at].value
    }
}

impl<V> Trie<V> {
    fn child(&self, at: usize, byte: u8) -> Option<usize> {
        if at == 0 {
            return match self.first[usize::from(byte)] {
                0 => None,
                next => Some(next as usize),
            };
        }
        // Most other nodes have one to three children: a scan beats a binary search.
        self.nodes[at]
            .children
            .iter()
            .find(|&&(c, _)| c == byte)
            .map(|&(_, next)| next as usize)
    }

    /// The values of the prefixes of `key` that were inserted or lie on the path to
    /// an inserted string, shortest first, each with its length in bytes: the empty
    /// prefix (length 0) first, `key` itself last if the walk gets that far.
    pub fn prefixes<'a>(&'a self, key: &'a str) -> impl Iterator<Item = (usize, &'a V)> + 'a {
        let bytes = key.as_bytes();
        let mut at = Some(0);
        let mut len = 0;
        std::iter::from_fn(move || {
            let node = at?;
            let here = (len, &self.nodes[node].value);
            at = bytes.get(len).and_then(|&b| self.child(node, b));
            len += 1;
            Some(here)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_every_prefix_on_the_path() {
        let mut t: Trie<u32> = Trie::default();
        *t.entry("no") = 1;
        *t.entry("nos") = 2;
        *t.entry("quiero") = 3;
        *t.entry("") = 9;
        let walk = |s| t.prefixes(s).collect::<Vec<_>>();
        assert_eq!(walk("nosotros"), [(0, &9), (1, &0), (2, &1), (3, &2)]);
        assert_eq!(walk("n"), [(0, &9), (1, &0)]);
        assert_eq!(walk("x"), [(0, &9)]);
        assert_eq!(walk("qui").len(), 4);
        assert_eq!(walk("quiero").last(), Some(&(6, &3)));
    }
}
