//! ArbOS 60 root and fragment codes (spec §1.1): parsing, reassembly and its failure modes.

use devnode_wasm::{
    compress_program, decompress_root, fragment_program, parse_root, root_code, ActivationError,
    STYLUS_FRAGMENT_PREFIX,
};

fn wasm(len: usize) -> Vec<u8> {
    // Any bytes: decompression does not validate wasm.
    let mut x = 0x2545_F491_4F6C_DD1Du64;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

#[test]
fn split_and_reassemble() {
    let w = wasm(40_000);
    let frags = fragment_program(&w, 24_576);
    assert_eq!(frags.len(), 2);
    assert!(frags
        .iter()
        .all(|f| f.len() <= 24_576 && f.starts_with(&STYLUS_FRAGMENT_PREFIX)));
    assert_eq!(
        frags[0].len(),
        24_576,
        "chunks of max_code_size − 3 bytes plus the prefix"
    );
    let stream: Vec<u8> = frags.iter().flat_map(|f| f[3..].to_vec()).collect();
    assert_eq!(stream, compress_program(&w)[4..], "the classic stream, cut");

    let addrs = [[1u8; 20], [2u8; 20]];
    let code = root_code(w.len() as u32, &addrs);
    assert_eq!(&code[..8], &[0xEF, 0xF0, 0x02, 0x00, 0, 0, 0x9C, 0x40]);
    let root = parse_root(&code, 2).unwrap();
    assert_eq!(root.fragments, addrs);
    assert_eq!(root.decompressed_len, 40_000);
    assert_eq!(decompress_root(&root, &frags, 131_072).unwrap(), w);
}

#[test]
fn root_failures() {
    let w = wasm(40_000);
    let frags = fragment_program(&w, 24_576);
    let addrs = [[1u8; 20], [2u8; 20]];
    let code = root_code(w.len() as u32, &addrs);
    // Fragment count limits and malformed lists.
    assert!(matches!(
        parse_root(&code, 1),
        Err(ActivationError::BadRoot(_))
    ));
    assert!(parse_root(&root_code(1, &[]), 2).is_err());
    assert!(parse_root(&code[..code.len() - 1], 2).is_err());
    assert!(
        parse_root(&compress_program(&w), 2).is_err(),
        "a classic program"
    );
    let root = parse_root(&code, 2).unwrap();
    // Wrong declared length, order, prefix, dictionary, size cap.
    let mut long = root.clone();
    long.decompressed_len += 1;
    assert!(decompress_root(&long, &frags, 131_072).is_err());
    assert!(decompress_root(&root, &[frags[1].clone(), frags[0].clone()], 131_072).is_err());
    let mut unprefixed = frags.clone();
    unprefixed[1][2] = 0x00;
    assert!(matches!(
        decompress_root(&root, &unprefixed, 131_072),
        Err(ActivationError::BadRoot(_))
    ));
    let mut dict = root.clone();
    dict.dictionary = 1;
    assert!(matches!(
        decompress_root(&dict, &frags, 131_072),
        Err(ActivationError::UnsupportedDictionary(1))
    ));
    assert!(decompress_root(&root, &frags, 39_999).is_err());
    assert!(
        decompress_root(&root, &frags[..1], 131_072).is_err(),
        "truncated stream"
    );
}
