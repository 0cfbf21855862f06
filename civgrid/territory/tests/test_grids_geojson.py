from django.urls import reverse

from civgrid.testing import PASSWORD


def features_for(client, username):
    assert client.login(username=username, password=PASSWORD)
    response = client.get(reverse("territory:grids_geojson"))
    assert response.status_code == 200
    return {f["properties"]["code"]: f for f in response.json()["features"]}


def test_the_grid_map_marks_the_grids_a_worker_answers_for(client, world):
    features = features_for(client, "worker_a")
    assert features[world.grid_a.code]["properties"]["mine"] is True
    assert features[world.grid_b.code]["properties"]["mine"] is False
    assert features[world.grid_a.code]["geometry"]["type"] == "Polygon"


def test_a_leader_contracting_an_area_has_all_its_grids_marked(client, world):
    features = features_for(client, "leader")
    assert all(f["properties"]["mine"] for f in features.values())


def test_the_office_sees_every_grid_unmarked_and_anonymous_is_sent_to_login(client, world):
    assert not any(f["properties"]["mine"] for f in features_for(client, "office").values())
    client.logout()
    assert client.get(reverse("territory:grids_geojson")).status_code == 302
