"""Realistic fault tickets, as a hotline's old system exports them, for examples and
benchmarks: free-text descriptions in agents' own words, codes sometimes in their own
column, areas and times (with an area-wide 734 burst), recorded escalations.

    python benchmarks/tickets.py csv 100000 tickets.csv [--encoding gb18030] [--distinct]
    python benchmarks/tickets.py jsonl 1000 tickets.jsonl

``--distinct``: every note says where the customer lives, as agents often add (住幸福小区
7栋): no two notes are alike, so none is read only once.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

# One ticket of each kind an API call brings: codes, facts, a note, nothing at all.
MIX = [
    {"error_code": 678},
    {"error_code": 691, "facts": {"account_status": "arrears"}},
    {"error_code": 691},
    {"error_code": 676},
    {"error_code": 734, "facts": {"area_reports": 9}},
    {"error_code": 769, "facts": {"nic_listed": False}},
    {"text": "宽带拨号显示错误678,已经重启过猫"},
    {"carrier": "mobile", "facts": {"topic": "password", "service": "mobile"}},
    {"facts": {"topic": "handset_login", "initial_password": True}},
    {},
]

AREAS = ["城区", "开发区", "高新区", "东湖", "西城", "南港", "北站", "江北", "临空港", "新洲"]
CARRIERS = ["联通", "电信", "移动", "中国联通", "10000", "unicom"]
# (weight, description, code column, recorded target)
KINDS = [
    (14, "宽带拨号显示错误678", "", ""),
    (6, "拨号提示651,远程计算机没有响应", "651", ""),
    (5, "显示 678 错误 猫重启过了,线也插好了", "678", "故障申告派单(装维)"),
    (4, "错误代码:678,客户说重启过猫,网线插在LINE口上", "", "故障申告派单(装维)"),
    (8, "拨号提示691", "", ""),
    (5, "691错误,欠费停机", "691", "合作营业厅"),
    (3, "宽带上不了网 错误691 账号在别处登录", "", ""),
    (3, "691 客户忘记密码,能报出证件号码", "", ""),
    (2, "错误629 客户对费用有异议", "629", "市场部"),
    (2, "619错误", "619", ""),
    (4, "错误734", "734", ""),
    (3, "宽带连接报错769", "", ""),
    (2, "显示796", "796", "地市分公司后台"),
    (3, "error 676, clicked connect many times", "", ""),
    (5, "上不了网,没有显示错误代码,有路由器", "", ""),
    (3, "无法上网 没有显示错误代码 没有路由器", "", ""),
    (4, "手机营业厅登不上,初始密码登录不了", "", ""),
    (3, "手机营业厅客户端登不上,用的是老人机", "", ""),
    (4, "客户要重置服务密码", "", ""),
    (3, "宽带密码忘了 要重置", "", "营业厅"),
    (2, "拨号显示错误 868", "", ""),
    (3, "客户来电咨询套餐资费", "", ""),
    (2, "网速慢,看视频卡", "", ""),
]
_WEIGHTS = [k[0] for k in KINDS]
COLUMNS = ["工单号", "受理时间", "区域", "运营商", "故障描述", "错误代码", "转派对象", "是否解决"]


_PLACES = "幸福阳光翠湖金桥锦绣丽景华庭枫林碧水春晖嘉园明珠"


def generate(
    rows: int, seed: int = 7, broken: bool = True, distinct: bool = False
) -> Iterator[dict[str, str]]:
    """Tickets in time order; with ``broken``, about one row in 200 is messy as real
    exports are (a date that is not one, a carrier nobody knows); with ``distinct``, no
    two notes alike."""
    rng = random.Random(seed)
    when = datetime(2024, 3, 1, 8, 0)
    burst_at = rows // 2  # an area-wide fault: many 734 in one area within hours
    for number in range(1, rows + 1):
        when += timedelta(seconds=rng.randint(5, 240))
        _, text, code, target = rng.choices(KINDS, _WEIGHTS)[0]
        area = rng.choice(AREAS)
        if burst_at <= number < burst_at + 12:
            text, code, target, area = "错误734 附近邻居也上不了网", "734", "网络运维部门", "南港"
        if distinct:
            place = "".join(rng.choice(_PLACES) for _ in range(4))
            text = f"{text},住{place}小区{number % 97 + 1}栋"
        row = {
            "工单号": f"GD{20240301000000 + number}",
            "受理时间": when.strftime("%Y-%m-%d %H:%M:%S"),
            "区域": area,
            "运营商": rng.choice(CARRIERS),
            "故障描述": text,
            "错误代码": code,
            "转派对象": target or rng.choice(["", "无"]),
            "是否解决": rng.choice(["是", "是", "是", "否"]),
        }
        if broken and rng.random() < 0.005:
            if rng.random() < 0.5:
                row["受理时间"] = "三月一日上午"
            else:
                row["运营商"] = "铁通"
        yield row


def write_csv(
    path: Path, rows: int, encoding: str = "utf-8", seed: int = 7, distinct: bool = False
) -> None:
    with path.open("w", encoding=encoding, newline="") as out:
        writer = csv.DictWriter(out, COLUMNS)
        writer.writeheader()
        writer.writerows(generate(rows, seed, distinct=distinct))


def write_jsonl(path: Path, rows: int, seed: int = 11) -> None:
    keys = dict(zip(COLUMNS, ["ticket_no", "created", "district", "carrier", "description",
                              "code", "handled_by", "resolved"], strict=True))  # fmt: skip
    with path.open("w", encoding="utf-8") as out:
        for row in generate(rows, seed):
            record = {keys[k]: v for k, v in row.items() if v != ""}
            if "code" in record:
                record["code"] = int(record["code"])
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["csv", "jsonl"])
    parser.add_argument("rows", type=int)
    parser.add_argument("path", type=Path)
    parser.add_argument("--encoding", default="utf-8")
    parser.add_argument("--distinct", action="store_true", help="no two notes alike")
    args = parser.parse_args()
    if args.kind == "csv":
        write_csv(args.path, args.rows, args.encoding, distinct=args.distinct)
    else:
        write_jsonl(args.path, args.rows)


if __name__ == "__main__":
    main()
