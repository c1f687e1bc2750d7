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

/// Encodes `wasm` as classic program code, the inverse of [`decompress_program`]:
/// `EF F0 00 00 ‖ brotli(wasm)` at quality 11 and window 22, as `cargo stylus` deploys it.
pub fn compress_program(wasm: &[u8]) -> Vec<u8> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let mut code = STYLUS_CLASSIC_PREFIX.to_vec();
    code.push(DICTIONARY_EMPTY);
    brotli::BrotliCompress(&mut &wasm[..], &mut code, &params)
        .expect("brotli into a Vec cannot fail");
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
