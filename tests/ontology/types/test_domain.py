from graphapi.ontology.types import get_type

domain = get_type("domain")


def test_domain_clean_ofac_website_urls():
    assert domain.clean("https://www.princeholdinggroup.com/") == "princeholdinggroup.com"
    assert domain.clean("https://hhbank.com.kh/") == "hhbank.com.kh"
    assert domain.clean("https://aquapurewater2234.wixsite.com/aquapurewater") == (
        "aquapurewater2234.wixsite.com"
    )


def test_domain_clean_bare_hosts_lower_case():
    assert domain.clean("funnull.io") == "funnull.io"
    assert domain.clean("HFCommercialBank.com") == "hfcommercialbank.com"
    assert domain.clean("example.com.") == "example.com"


def test_domain_clean_drops_user_port_and_path():
    assert domain.clean("http://user:pw@Example.COM:8080/x?y=1") == "example.com"


def test_domain_clean_www_only_when_a_domain_remains():
    assert domain.clean("www.com") == "www.com"
    assert domain.clean("www.www.example.com") == "www.example.com"


def test_domain_clean_internationalised_to_a_label():
    assert domain.clean("https://\u0e15\u0e31\u0e27\u0e2d\u0e22\u0e48\u0e32\u0e07.\u0e44\u0e17\u0e22/") == (
        "xn--72c1a1bt4awk9o.xn--o3cw4h"
    )
    assert domain.clean("B\u00fccher.de") == "xn--bcher-kva.de"


def test_domain_clean_rejects_ips_single_labels_and_bad_labels():
    assert domain.clean("http://192.168.1.1/") is None
    assert domain.clean("http://[::1]/") is None
    assert domain.clean("localhost") is None
    assert domain.clean("foo..com") is None
    assert domain.clean("-bad.com") is None
    assert domain.clean("a b.com") is None
    assert domain.clean("example.123") is None


def test_domain_variants_give_unicode_form():
    assert domain.variants("xn--bcher-kva.de") == ["b\u00fccher.de"]
    assert domain.variants("funnull.io") == []
