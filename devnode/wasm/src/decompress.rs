//! Stylus code prefixes (spec §1.1) and brotli decompression of classic programs.

use crate::ActivationError;

/// Discriminant of a classic (activatable, executable) Stylus program: `EF F0 00`.
pub const STYLUS_CLASSIC_PREFIX: [u8; 3] = [0xEF, 0xF0, 0x00];
/// Discriminant of a program fragment (ArbOS ≥ 60): `EF F0 01`.
pub const STYLUS_FRAGMENT_PREFIX: [u8; 3] = [0xEF, 0xF0, 0x01];
/// Discriminant of a root program (ArbOS ≥ 60): `EF F0 02`.
pub const STYLUS_ROOT_PREFIX: [u8; 3] = [0xEF, 0xF0, 0x02];
/// Dictionary byte meaning "no dictionary" (the only one cargo-stylus emits and the devnode supports).
pub const DICTIONARY_EMPTY: u8 = 0;
/// Dictionary byte of Nitro's "StylusProgram" LZ77 dictionary (not supported by the devnode).
pub const DICTIONARY_STYLUS_PROGRAM: u8 = 1;
/// The ArbOS version that introduced fragments and root programs.
pub const ARBOS_VERSION_FRAGMENTS: u64 = 60;

fn has_prefix(code: &[u8], prefix: &[u8; 3]) -> bool {
    code.len() > prefix.len() && code.starts_with(prefix)
}

/// True if `code` is a classic Stylus program: it starts with `EF F0 00` and is strictly longer
/// than those 3 bytes.
pub fn is_stylus_program(code: &[u8]) -> bool {
    has_prefix(code, &STYLUS_CLASSIC_PREFIX)
}

/// True if `code` is a Stylus fragment (`EF F0 01` + at least one byte).
pub fn is_stylus_fragment(code: &[u8]) -> bool {
    has_prefix(code, &STYLUS_FRAGMENT_PREFIX)
}

/// True if `code` is a Stylus root program (`EF F0 02` + at least one byte).
pub fn is_stylus_root(code: &[u8]) -> bool {
    has_prefix(code, &STYLUS_ROOT_PREFIX)
}

/// True if calling `code` runs the Stylus path instead of the EVM interpreter: classic programs,
/// plus root programs from ArbOS 60.
pub fn is_stylus_deployable(code: &[u8], arbos_version: u64) -> bool {
    is_stylus_program(code) || (arbos_version >= ARBOS_VERSION_FRAGMENTS && is_stylus_root(code))
}

/// True if `code` is exempt from EIP-3541 on deposit: classic programs, plus root programs and
/// fragments from ArbOS 60.
pub fn is_stylus_component(code: &[u8], arbos_version: u64) -> bool {
    is_stylus_program(code)
        || (arbos_version >= ARBOS_VERSION_FRAGMENTS
            && (is_stylus_root(code) || is_stylus_fragment(code)))
}

/// Splits a classic program into its dictionary byte and compressed payload.
pub fn split_stylus_program(code: &[u8]) -> Option<(u8, &[u8])> {
    if is_stylus_program(code) {
        Some((code[3], &code[4..]))
    } else {
        None
    }
}

/// Length of a root program's header: `EF F0 02 <dict> <u32 BE decompressed length>`.
pub const ROOT_HEADER_LEN: usize = 8;

/// A parsed root program (`EF F0 02 <dict> <u32 BE decompressed_len> <N × 20-byte addresses>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RootProgram {
    /// Dictionary byte of the compressed stream.
    pub dictionary: u8,
    /// Declared length of the decompressed wasm.
    pub decompressed_len: u32,
    /// Fragment addresses in stream order.
    pub fragments: Vec<[u8; 20]>,
}

/// Parses a root program's code. Fails when the code is not a root, the address list is not a
/// whole number of 20-byte addresses, or it holds no address or more than `max_fragments`.
pub fn parse_root(code: &[u8], max_fragments: u8) -> Result<RootProgram, ActivationError> {
    if !is_stylus_root(code) || code.len() < ROOT_HEADER_LEN {
        return Err(ActivationError::BadRoot("not a root program".into()));
    }
    let list = &code[ROOT_HEADER_LEN..];
    if !list.len().is_multiple_of(20) {
        return Err(ActivationError::BadRoot(
            "fragment list is not a whole number of addresses".into(),
        ));
    }
    let n = list.len() / 20;
    if n == 0 || n > usize::from(max_fragments) {
        return Err(ActivationError::BadRoot(format!(
            "{n} fragments (must be 1 to {max_fragments})"
        )));
    }
    Ok(RootProgram {
        dictionary: code[3],
        decompressed_len: u32::from_be_bytes(code[4..8].try_into().expect("4 bytes")),
        fragments: list
            .chunks_exact(20)
            .map(|c| c.try_into().expect("20 bytes"))
            .collect(),
    })
}

/// The root program code for `fragments` (in stream order), dictionary 0 and a wasm of
/// `decompressed_len` bytes, as `cargo stylus deploy` writes it.
pub fn root_code(decompressed_len: u32, fragments: &[[u8; 20]]) -> Vec<u8> {
    let mut code = STYLUS_ROOT_PREFIX.to_vec();
    code.push(DICTIONARY_EMPTY);
    code.extend_from_slice(&decompressed_len.to_be_bytes());
    for f in fragments {
        code.extend_from_slice(f);
    }
    code
}

/// Splits `wasm` the way `cargo stylus deploy` does for a program over `max_code_size`: the
/// brotli stream (quality 11, no prefix) cut into chunks of `max_code_size − 3` bytes, each
/// prefixed with `EF F0 01`. Returns the fragment codes in stream order.
pub fn fragment_program(wasm: &[u8], max_code_size: usize) -> Vec<Vec<u8>> {
    fragment_stream(&compress_program(wasm)[4..], max_code_size)
}

/// Cuts a brotli `stream` into fragment codes of at most `max_code_size` bytes
/// (`EF F0 01 ‖ chunk of max_code_size − 3 bytes`), in stream order.
pub fn fragment_stream(stream: &[u8], max_code_size: usize) -> Vec<Vec<u8>> {
    let chunk = max_code_size
        .saturating_sub(STYLUS_FRAGMENT_PREFIX.len())
        .max(1);
    stream
        .chunks(chunk)
        .map(|c| [&STYLUS_FRAGMENT_PREFIX[..], c].concat())
        .collect()
}

/// Brotli-encodes `wasm` at `quality` (0–11, window 22) without any prefix.
pub fn brotli_compress(wasm: &[u8], quality: i32) -> Vec<u8> {
    let params = brotli::enc::BrotliEncoderParams {
        quality,
        lgwin: 22,
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &wasm[..], &mut out, &params)
        .expect("brotli into a Vec cannot fail");
    out
}

/// Decompresses a root program's wasm from its fragments' codes (in the root's order): each must
/// carry the `EF F0 01` prefix; their payloads are concatenated, brotli-decoded with the root's
/// dictionary (only 0 is supported) and the result must be exactly `decompressed_len` bytes,
/// at most `max_wasm_size`.
pub fn decompress_root<C: AsRef<[u8]>>(
    root: &RootProgram,
    fragment_codes: &[C],
    max_wasm_size: u32,
) -> Result<Vec<u8>, ActivationError> {
    if root.dictionary != DICTIONARY_EMPTY {
        return Err(ActivationError::UnsupportedDictionary(root.dictionary));
    }
    if root.decompressed_len > max_wasm_size {
        return Err(ActivationError::Decompression(format!(
            "declared length {} exceeds the maximum wasm size of {max_wasm_size} bytes",
            root.decompressed_len
        )));
    }
    let mut stream = Vec::new();
    for code in fragment_codes {
        let code = code.as_ref();
        if !is_stylus_fragment(code) {
            return Err(ActivationError::BadRoot(
                "a fragment does not carry the EF F0 01 prefix".into(),
            ));
        }
        stream.extend_from_slice(&code[STYLUS_FRAGMENT_PREFIX.len()..]);
    }
    let wasm = brotli_decompress(&stream, max_wasm_size as usize)?;
    if wasm.len() != root.decompressed_len as usize {
        return Err(ActivationError::Decompression(format!(
            "decompressed {} bytes, the root declares {}",
            wasm.len(),
            root.decompressed_len
        )));
    }
    Ok(wasm)
}

/// Encodes `wasm` as classic program code, the inverse of [`decompress_program`]:
/// `EF F0 00 00 ‖ brotli(wasm)` at quality 11 and window 22, as `cargo stylus` deploys it.
pub fn compress_program(wasm: &[u8]) -> Vec<u8> {
    let mut code = STYLUS_CLASSIC_PREFIX.to_vec();
    code.push(DICTIONARY_EMPTY);
    code.extend(brotli_compress(wasm, 11));
    code
}

/// Decompresses the wasm of a classic program (`EF F0 00 <dict> <brotli stream>`).
///
/// Only dictionary 0 is supported; dictionary 1 (Nitro's BSL-licensed LZ77 dictionary) and any
/// other value fail with [`ActivationError::UnsupportedDictionary`] ("unsupported dictionary
/// type"). The output is capped at `max_wasm_size` bytes; an oversized, corrupt, truncated or
/// unfinished stream is an error. Bytes after the end of a finished stream are ignored (as
/// brotli's one-shot C decoder does).
pub fn decompress_program(code: &[u8], max_wasm_size: u32) -> Result<Vec<u8>, ActivationError> {
    let (dictionary, payload) = split_stylus_program(code).ok_or(ActivationError::NotStylus)?;
    if dictionary != DICTIONARY_EMPTY {
        return Err(ActivationError::UnsupportedDictionary(dictionary));
    }
    brotli_decompress(payload, max_wasm_size as usize)
}

/// Brotli-decodes `input` into at most `max_len` bytes.
pub fn brotli_decompress(input: &[u8], max_len: usize) -> Result<Vec<u8>, ActivationError> {
    use brotli::enc::StandardAlloc;
    use brotli::{BrotliDecompressStream, BrotliResult, BrotliState};

    let mut output = vec![0u8; max_len];
    let mut state = BrotliState::new(
        StandardAlloc::default(),
        StandardAlloc::default(),
        StandardAlloc::default(),
    );
    let mut available_in = input.len();
    let mut input_offset = 0usize;
    let mut available_out = output.len();
    let mut output_offset = 0usize;
    let mut total_out = 0usize;
    let result = BrotliDecompressStream(
        &mut available_in,
        &mut input_offset,
        input,
        &mut available_out,
        &mut output_offset,
        &mut output,
        &mut total_out,
        &mut state,
    );
    match result {
        BrotliResult::ResultSuccess => {
            output.truncate(output_offset);
            Ok(output)
        }
        BrotliResult::NeedsMoreOutput => Err(ActivationError::Decompression(format!(
            "decompressed program exceeds the maximum wasm size of {max_len} bytes"
        ))),
        BrotliResult::NeedsMoreInput => Err(ActivationError::Decompression(
            "truncated or unfinished brotli stream".into(),
        )),
        BrotliResult::ResultFailure => Err(ActivationError::Decompression(
            "corrupt brotli stream".into(),
        )),
    }
}
