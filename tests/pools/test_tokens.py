from ceremony.pools import tokens


def test_codes_use_only_the_alphabet_without_look_alikes_and_differ():
    codes = {tokens.new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == tokens.CODE_LENGTH
        assert set(code) <= set(tokens.CODE_ALPHABET)
    assert not set("01OIL") & set(tokens.CODE_ALPHABET)


def test_a_code_as_typed_is_read_in_upper_case_without_spaces_or_dashes():
    assert tokens.normal_code("ab2c-d3ef gh") == "AB2CD3EFGH"


def test_a_secret_is_stored_as_its_digest_and_only_the_secret_matches_it():
    secret = tokens.new_secret()
    stored = tokens.digest(secret)
    assert secret not in stored
    assert tokens.matches(secret, stored)
    assert not tokens.matches(secret + "x", stored)
