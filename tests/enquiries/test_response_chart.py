"""Where the response-time chart draws each week: a median bar from the axis up, the 90th
percentile as a mark, and the promise as a line, all on one scale that fits the tallest."""

from types import SimpleNamespace

from enquiries.admin import response_chart

# The chart is 640 by 240; its plot runs from x 48 to the right edge, and from y 212 (the
# axis, 0 h) up to y 8 (the top of the scale).
FRAME = {"width": 640, "height": 240, "left": 48, "axis_y": 212, "label_y": 230}


def week(median_hours, p90_hours):
    return SimpleNamespace(median_hours=median_hours, p90_hours=p90_hours)


def test_the_scale_reaches_the_slowest_week_above_the_promise():
    slow, empty = week(24, 72), week(None, None)

    chart = response_chart([slow, empty], promise_hours=48)

    assert chart == {
        **FRAME,
        "promise_y": 76.0,
        "top_hours": 72,
        "bars": [
            {
                "x": 107.2,
                "width": 177.6,
                "label_x": 196.0,
                "median_y": 144.0,
                "median_height": 68.0,
                "p90_y": 8.0,
                "week": slow,
            },
            {
                "x": 403.2,
                "width": 177.6,
                "label_x": 492.0,
                "median_y": 212.0,
                "median_height": 0.0,
                "p90_y": None,
                "week": empty,
            },
        ],
    }


def test_the_scale_leaves_room_above_the_promise_when_every_week_keeps_it():
    quick = week(12, 30)

    chart = response_chart([quick], promise_hours=48)

    assert chart == {
        **FRAME,
        "promise_y": 48.8,
        "top_hours": 60,
        "bars": [
            {
                "x": 166.4,
                "width": 355.2,
                "label_x": 344.0,
                "median_y": 171.2,
                "median_height": 40.8,
                "p90_y": 110.0,
                "week": quick,
            }
        ],
    }


def test_positions_are_drawn_to_a_tenth_of_a_unit():
    weeks = [week(10, 20), week(5, None), week(None, None)]

    bars = response_chart(weeks, promise_hours=48)["bars"]

    assert [(bar["x"], bar["width"], bar["label_x"]) for bar in bars] == [
        (87.5, 118.4, 146.7),
        (284.8, 118.4, 344.0),
        (482.1, 118.4, 541.3),
    ]
    assert [(bar["median_y"], bar["median_height"], bar["p90_y"]) for bar in bars] == [
        (178.0, 34.0, 144.0),
        (195.0, 17.0, None),
        (212.0, 0.0, None),
    ]
