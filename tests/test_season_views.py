"""The upsets and seasons pages: a filter from the address never costs a 500."""

import pytest


@pytest.mark.parametrize("decade", ["²", "1" * 4301, "٢٠١٠", "0000", "-2010", "2010.0"])
def test_a_decade_that_is_not_ascii_digits_is_no_filter(db, client, decade):
    response = client.get("/upsets/", {"decade": decade})

    assert response.status_code == 200
    assert " at the Oscars of the " not in response.content.decode()
