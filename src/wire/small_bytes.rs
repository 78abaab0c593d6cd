//! Byte fields that are usually short, held inline up to a bound: building one (an SP
//! payload's parameters, an SRTP-ID map) does not allocate.

use super::{Bytes, own};
use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;

/// At most `N` bytes held inline, or a [`Bytes`]: borrowed from parsed input, or owned
/// when longer than `N`. Compared and printed as its bytes, whatever the representation
/// (so it behaves like the `Bytes` it replaces).
#[derive(Clone)]
pub(crate) enum SmallBytes<'a, const N: usize> {
    /// The first `len` bytes of `buf`.
    Inline {
        /// How many bytes of `buf` are used (at most `N`).
        len: u8,
        /// The bytes.
        buf: [u8; N],
    },
    /// Borrowed, or on the heap.
    Cow(Bytes<'a>),
}

impl<'a, const N: usize> SmallBytes<'a, N> {
    /// No bytes, inline.
    pub(crate) const EMPTY: Self = {
        assert!(N <= u8::MAX as usize, "the length is a u8");
        SmallBytes::Inline {
            len: 0,
            buf: [0; N],
        }
    };

    /// `bytes`, borrowed.
    pub(crate) fn borrowed(bytes: &'a [u8]) -> Self {
        SmallBytes::Cow(Cow::Borrowed(bytes))
    }

    /// Room for `len` bytes: inline when they fit, else an empty `Vec` of that capacity.
    pub(crate) fn with_capacity(len: usize) -> Self {
        if len <= N {
            Self::EMPTY
        } else {
            SmallBytes::Cow(Cow::Owned(Vec::with_capacity(len)))
        }
    }

    /// `len` bytes written by `write` into a zeroed buffer of exactly that length: inline
    /// when they fit, else on the heap.
    #[inline]
    pub(crate) fn filled(len: usize, write: impl FnOnce(&mut [u8])) -> Self {
        if len <= N {
            let mut buf = [0; N];
            write(buf.get_mut(..len).unwrap_or_default());
            // At most N <= 255.
            SmallBytes::Inline {
                len: len as u8,
                buf,
            }
        } else {
            let mut heap = vec![0; len];
            write(&mut heap);
            SmallBytes::Cow(Cow::Owned(heap))
        }
    }

    /// The bytes.
    #[inline]
    pub(crate) fn as_slice(&self) -> &[u8] {
        match self {
            SmallBytes::Inline { len, buf } => buf.get(..usize::from(*len)).unwrap_or_default(),
            SmallBytes::Cow(bytes) => bytes,
        }
    }

    /// Appends `data`: inline while the bytes fit, else on the heap.
    #[inline]
    pub(crate) fn extend(&mut self, data: &[u8]) {
        if let SmallBytes::Inline { len, buf } = self {
            let used = usize::from(*len);
            if let Some(free) = buf
                .get_mut(used..)
                .and_then(|free| free.get_mut(..data.len()))
            {
                free.copy_from_slice(data);
                // At most N <= 255 bytes in all.
                *len = (used + data.len()) as u8;
                return;
            }
        }
        self.extend_on_heap(data);
    }

    /// [`SmallBytes::extend`] past the inline bound, or of heap or borrowed bytes.
    #[cold]
    #[inline(never)]
    fn extend_on_heap(&mut self, data: &[u8]) {
        match self {
            SmallBytes::Inline { len, buf } => {
                let used = buf.get(..usize::from(*len)).unwrap_or_default();
                let mut heap = Vec::with_capacity(used.len() + data.len());
                heap.extend_from_slice(used);
                heap.extend_from_slice(data);
                *self = SmallBytes::Cow(Cow::Owned(heap));
            }
            SmallBytes::Cow(bytes) => bytes.to_mut().extend_from_slice(data),
        }
    }

    /// The same bytes, owned (inline ones stay inline).
    pub(crate) fn into_owned(self) -> SmallBytes<'static, N> {
        match self {
            SmallBytes::Inline { len, buf } => SmallBytes::Inline { len, buf },
            SmallBytes::Cow(bytes) => SmallBytes::Cow(own(bytes)),
        }
    }
}

impl<const N: usize> Deref for SmallBytes<'_, N> {
    type Target = [u8];

    #[inline]
    fn deref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl<const N: usize> PartialEq for SmallBytes<'_, N> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<const N: usize> Eq for SmallBytes<'_, N> {}

impl<const N: usize> fmt::Debug for SmallBytes<'_, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_slice(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_move_to_the_heap_past_the_bound_and_compare_as_bytes() {
        let mut small = SmallBytes::<'_, 4>::EMPTY;
        small.extend(&[1, 2]);
        small.extend(&[3]);
        assert!(matches!(small, SmallBytes::Inline { len: 3, .. }));
        assert_eq!(&*small, [1, 2, 3]);
        small.extend(&[4, 5]);
        assert!(matches!(small, SmallBytes::Cow(Cow::Owned(_))));
        assert_eq!(&*small, [1, 2, 3, 4, 5]);
        small.extend(&[6]);
        let borrowed = SmallBytes::<'_, 4>::borrowed(&[1, 2, 3, 4, 5, 6]);
        assert_eq!(small, borrowed);
        assert_eq!(
            format!("{small:?}"),
            format!("{:?}", Cow::Borrowed(&[1u8, 2, 3, 4, 5, 6][..]))
        );
        let mut inline = SmallBytes::<'_, 4>::with_capacity(4);
        inline.extend(&[1, 2, 3, 4]);
        assert!(matches!(inline, SmallBytes::Inline { len: 4, .. }));
        assert_eq!(inline, SmallBytes::borrowed(&[1, 2, 3, 4]));
        assert_ne!(inline, SmallBytes::borrowed(&[1, 2, 3]));
        assert!(matches!(
            SmallBytes::<'_, 4>::with_capacity(5),
            SmallBytes::Cow(_)
        ));
        assert_eq!(inline.clone().into_owned(), inline);
    }
}
