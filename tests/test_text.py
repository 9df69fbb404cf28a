from ceremony.text import (
    field_of,
    name_key,
    plain_title,
    song_key,
    title_keys,
    title_part_keys,
    title_spaced_keys,
)


def test_name_keys_fold_case_accents_and_punctuation_of_latin_names():
    assert name_key("Ludwig Göransson") == name_key("LUDWIG GORANSSON") == "ludwig goransson"
    assert name_key("Bjørn  Ålvik") == "bjorn alvik"
    assert name_key("Ｆｕｌｌ－ｗｉｄｔｈ") == "full width"


def test_names_in_other_scripts_keep_their_letters_and_are_never_one_key():
    titles = ["東京物語", "七人の侍", "Бриллиантовая рука", "Ζ", "नमस्ते दुनिया"]
    keys = [name_key(t) for t in titles]
    assert all(keys)
    assert len(set(keys)) == len(titles)
    # Marks that belong to a letter outside Latin are letters, not accents.
    assert name_key("नमस्ते") != name_key("नमस")


def test_a_name_of_punctuation_only_still_has_a_key():
    assert name_key("!!!") == "!!!"


def test_titles_join_across_the_ways_two_bodies_write_them():
    same = [
        ("Harry & Tonto", "Harry and Tonto"),
        ("Sunset Blvd.", "Sunset Boulevard"),
        ("5 Fingers", "Five Fingers"),
        ("Way We Were, The", "The Way We Were"),
        ("GoodFellas", "Good Fellas"),
        ("Twelve Monkeys", "12 Monkeys"),
        ("Inherit the Wind - 1960", "Inherit the Wind"),
        ("Mulholland Dr.", "Mulholland Drive"),
        ("Cage aux Folles, La", "La Cage aux Folles"),
    ]
    for one, other in same:
        assert title_keys(one) & title_keys(other), (one, other)


def test_a_subtitle_or_alternative_title_joins_only_a_whole_title():
    assert "star wars" in title_part_keys("Star Wars: Episode IV - A New Hope")
    assert title_spaced_keys("Star Wars") & title_part_keys("Star Wars: Episode IV - A New Hope")
    assert title_spaced_keys("The White Ribbon") & title_part_keys(
        "The White Ribbon (Das weisse Band - Eine deutsche Kindergeschichte)"
    )
    assert title_spaced_keys("Birdman") & title_part_keys(
        "Birdman or (The Unexpected Virtue of Ignorance)"
    )
    # Two films' parts never meet: the part keys are not whole-title keys.
    assert not title_keys("Kill Bill (Vol. 1)") & title_keys("Kill Bill (Vol. 2)")
    # A part is compared word by word: "A Lien" is no part of "Alien: Romulus".
    assert not title_spaced_keys("A Lien") & title_part_keys("Alien: Romulus")


def test_a_leading_article_is_kept_so_different_films_stay_apart():
    assert not title_keys("A Sister") & title_keys("Sister")
    assert plain_title("Sister, A") == "A Sister"


def test_fields_of_work_come_from_category_names_of_both_bodies():
    assert field_of("ACTRESS IN A LEADING ROLE") == "acting"
    assert field_of("Best Performance by an Actor in a Motion Picture - Drama") == "acting"
    assert field_of("SOUND EDITING") == "sound"
    assert field_of("Best Screenplay - Motion Picture") == "writing"
    assert field_of("Best Original Score - Motion Picture") == "music"
    assert field_of("Best Motion Picture - Drama") == "picture"


def test_a_song_matches_its_title_without_the_subtitle_the_academy_adds():
    # The 49th's Original Song (oscars.csv): "Evergreen (Love Theme From A Star Is Born)"; the
    # 34th Golden Globes (golden_globe_awards.csv): "Evergreen".
    assert song_key("Evergreen (Love Theme From A Star Is Born)") == song_key("Evergreen")
    assert song_key("Evergreen") != song_key("Everything")
    assert song_key("(Untitled)") == name_key("(Untitled)")
