"""The demo factories' garments: routings of six common styles with standard minutes and rates.

The standard minutes are made up for the demo in the usual ranges of these garments (a T-shirt
about 6 minutes, casual trousers about 14, a sports jacket about 18), not third-party time data.
Piece rates are about 0.18 CNY per standard minute, rounded to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass

#: code, name, SAM (min), machine type, skill grade, predecessors by index in the routing
Step = tuple[str, str, str, str, int, tuple[int, ...]]


@dataclass(frozen=True)
class Garment:
    """A style the demo factories sew: its key, name, colours, sizes, category and routing."""

    key: str
    name: str
    category: str  # the scheduling category of its orders
    colours: tuple[str, ...]
    sizes: tuple[str, ...]
    steps: tuple[Step, ...]
    customer: str

    @property
    def sam(self) -> float:
        """Return the garment's standard minutes (the routing's sum)."""
        return sum(float(step[2]) for step in self.steps)


TEE = Garment(
    "TEE", "圆领T恤", "knit-top", ("白", "黑", "藏青"), ("S", "M", "L", "XL"),
    (
        ("10", "合肩", "0.45", "overlock", 2, ()),
        ("20", "上领", "0.90", "overlock", 3, (0,)),
        ("30", "压领线", "0.60", "coverstitch", 3, (1,)),
        ("40", "上袖", "1.10", "overlock", 3, (0,)),
        ("50", "合侧缝", "0.95", "overlock", 2, (3,)),
        ("60", "袖口卷边", "0.70", "coverstitch", 2, (4,)),
        ("70", "下摆卷边", "0.65", "coverstitch", 2, (2, 5)),
        ("80", "钉商标", "0.35", "lockstitch", 1, (6,)),
        ("90", "检验修线", "0.50", "manual", 1, (7,)),
    ),
    "杭州悦动体育用品有限公司",
)  # fmt: skip
POLO = Garment(
    "POLO", "短袖Polo衫", "knit-top", ("白", "藏青", "酒红"), ("S", "M", "L", "XL", "XXL"),
    (
        ("10", "做门襟", "1.20", "lockstitch", 3, ()),
        ("20", "合肩", "0.45", "overlock", 2, ()),
        ("30", "上领", "1.10", "lockstitch", 3, (0, 1)),
        ("40", "上袖", "1.05", "overlock", 3, (1,)),
        ("50", "合侧缝", "0.95", "overlock", 2, (3,)),
        ("60", "袖口", "0.80", "coverstitch", 2, (4,)),
        ("70", "下摆开衩", "0.90", "lockstitch", 3, (4,)),
        ("80", "钉扣锁眼", "0.75", "buttonhole", 2, (2,)),
        ("90", "钉商标", "0.35", "lockstitch", 1, (5, 6, 7)),
        ("100", "检验修线", "0.60", "manual", 1, (8,)),
    ),
    "上海城野服饰有限公司",
)  # fmt: skip
SHORTS = Garment(
    "SHORTS", "运动短裤", "knit-bottom", ("黑", "灰"), ("S", "M", "L", "XL"),
    (
        ("10", "合前后裆", "0.70", "overlock", 2, ()),
        ("20", "做侧袋", "0.95", "lockstitch", 3, ()),
        ("30", "合侧缝", "0.80", "overlock", 2, (0, 1)),
        ("40", "上松紧腰", "1.00", "coverstitch", 3, (2,)),
        ("50", "裤脚卷边", "0.60", "coverstitch", 2, (2,)),
        ("60", "穿绳打结", "0.45", "manual", 1, (3,)),
        ("70", "钉商标", "0.30", "lockstitch", 1, (4, 5)),
        ("80", "检验修线", "0.45", "manual", 1, (6,)),
    ),
    "杭州悦动体育用品有限公司",
)  # fmt: skip
TROUSERS = Garment(
    "TROUSERS", "休闲长裤", "woven-bottom", ("卡其", "藏青", "黑"), ("28", "30", "32", "34", "36"),
    (
        ("10", "做后袋", "1.60", "lockstitch", 3, ()),
        ("20", "做斜插袋", "1.80", "lockstitch", 3, ()),
        ("30", "做门襟拉链", "1.50", "lockstitch", 4, ()),
        ("40", "锁边", "0.90", "overlock", 2, ()),
        ("50", "合侧缝", "1.10", "lockstitch", 2, (0, 1, 3)),
        ("60", "合内缝", "1.00", "overlock", 2, (4,)),
        ("70", "合后裆", "0.90", "lockstitch", 3, (2, 5)),
        ("80", "上腰头", "1.60", "lockstitch", 4, (6,)),
        ("90", "钉裤襻", "0.80", "bartack", 2, (7,)),
        ("100", "锁眼钉扣", "0.60", "buttonhole", 2, (7,)),
        ("110", "裤脚卷边", "0.80", "lockstitch", 2, (6,)),
        ("120", "检验修线", "0.90", "manual", 1, (8, 9, 10)),
    ),
    "宁波江北优衣坊服饰有限公司",
)  # fmt: skip
HOODIE = Garment(
    "HOODIE", "连帽卫衣", "knit-top", ("灰", "黑", "藏青"), ("S", "M", "L", "XL"),
    (
        ("10", "做帽", "1.40", "overlock", 3, ()),
        ("20", "做袋", "1.10", "coverstitch", 3, ()),
        ("30", "合肩", "0.50", "overlock", 2, ()),
        ("40", "上帽", "1.30", "overlock", 3, (0, 2)),
        ("50", "上袖", "1.20", "overlock", 3, (2,)),
        ("60", "合侧缝", "1.10", "overlock", 2, (1, 4)),
        ("70", "上袖口罗纹", "1.00", "overlock", 3, (5,)),
        ("80", "上下摆罗纹", "1.00", "overlock", 3, (5,)),
        ("90", "压线", "0.90", "coverstitch", 2, (3, 6, 7)),
        ("100", "钉商标", "0.35", "lockstitch", 1, (8,)),
        ("110", "检验修线", "0.65", "manual", 1, (9,)),
    ),
    "上海城野服饰有限公司",
)  # fmt: skip
JACKET = Garment(
    "JACKET", "运动夹克", "woven-top", ("黑", "藏青", "军绿"), ("M", "L", "XL", "XXL"),
    (
        ("10", "做前片袋", "2.20", "lockstitch", 4, ()),
        ("20", "做后片拼接", "1.40", "lockstitch", 3, ()),
        ("30", "合肩", "0.70", "lockstitch", 2, (0, 1)),
        ("40", "做领", "1.60", "lockstitch", 4, ()),
        ("50", "上袖", "1.80", "lockstitch", 3, (2,)),
        ("60", "合袖底侧缝", "1.50", "lockstitch", 3, (4,)),
        ("70", "装拉链", "2.40", "lockstitch", 4, (5,)),
        ("80", "上领", "1.70", "lockstitch", 4, (3, 6)),
        ("90", "做袖口", "1.20", "lockstitch", 3, (5,)),
        ("100", "下摆", "1.10", "lockstitch", 2, (7, 8)),
        ("110", "钉商标", "0.40", "lockstitch", 1, (9,)),
        ("120", "检验修线", "1.00", "manual", 1, (10,)),
    ),
    "宁波江北优衣坊服饰有限公司",
)  # fmt: skip
GARMENTS = {g.key: g for g in (TEE, POLO, SHORTS, TROUSERS, HOODIE, JACKET)}
#: the machine types of the demo's operations
MACHINE_TYPES = ("lockstitch", "overlock", "coverstitch", "buttonhole", "bartack", "manual")
RATE_PER_MINUTE = 0.18
