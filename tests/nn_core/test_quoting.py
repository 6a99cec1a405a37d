from nn_core.quoting import quoted


def test_text_from_a_file_is_quoted_readably():
    assert quoted("x,y,class") == "'x,y,class'"
    assert quoted("-\x00\x00") == "'-�'"  # a run of control characters is one mark, never Python's \x00
    assert quoted("a\u202eb\tc\r\nd") == "'a�b�c�d'"
    assert quoted("a" * 100) == "'" + "a" * 59 + "…'"
    assert quoted("²①") == "'²①'"
