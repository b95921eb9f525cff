"""A small catalog of a made-up bureau (河口镇), written for the tests.

It is deliberately not the shipped catalog: other codes, other queues, other
departments.  It has every shape the engines must handle — branching questions,
refusals, conditional materials, every field type with required / required_if /
relevant_if / constraints, a bundle with shared fields and a life event — so the
consultation, form and session tests do not depend on content that others edit.
"""

from __future__ import annotations

from kiosk.catalog import Catalog, parse_catalog

# Valid identity numbers (GB 11643 check digit), used across the tests.
ID_1985 = "320506198503151238"  # 吴中区 code created after 1985: deliberately accepted
ID_CHILD = "110105202401010030"
ID_X = "11010519491231002X"
ID_AGENT = "110105198001010016"
USCC_OK = "91320505MA1P7Q8R0H"

SAMPLE_YAML = """\
meta:
  bureau: {zh: 河口镇便民服务中心, en: Hekou Town Service Centre}
  version: "hekou-test-7"
  windows: 4
  note: {zh: 测试用目录, en: A catalog for the tests}
categories:
  - {code: build, name: {zh: 建设, en: Building}}
  - {code: life, name: {zh: 生活, en: Living}}
  - {code: trade, name: {zh: 经营, en: Trade}}
departments:
  - {code: market, name: {zh: 市场监管所, en: Market office}}
  - {code: tax, name: {zh: 税务分局, en: Tax office}}
  - {code: police, name: {zh: 派出所, en: Police station}}
  - {code: health, name: {zh: 卫生院, en: Health centre}}
queues:
  - {code: q-life, prefix: L, name: {zh: 生活窗口, en: Living}, windows: [1, 2], category: life}
  - {code: q-trade, prefix: T, name: {zh: 经营窗口, en: Trade}, windows: [3], category: trade}
  - {code: q-green, prefix: G, name: {zh: 绿色通道, en: Priority}, windows: [4], priority: true}
materials:
  - id: id_card
    name: {zh: 身份证, en: ID card}
    copies: 1
    issuer: {zh: 公安机关, en: Police}
    obtain: {zh: 本人携带, en: Bring your own}
  - id: licence
    name: {zh: 营业执照, en: Business licence}
    copies: 1
    issuer: {zh: 市场监管所, en: Market office}
    obtain: {zh: 登记后领取, en: Collected after registration}
  - id: proxy_letter
    name: {zh: 授权委托书, en: Letter of authorisation}
    issuer: {zh: 申请人, en: The applicant}
    obtain: {zh: 窗口领取模板, en: Template at the window}
fields:
  - id: person_name
    type: text
    label: {zh: 姓名, en: Name}
    max_length: 20
    id_card: name
    example: 王小明
  - id: person_id
    type: id_number
    label: {zh: 身份证号码, en: ID number}
    id_card: id_number
    example: "320506198503151238"
  - id: phone
    type: mobile
    label: {zh: 手机, en: Mobile}
    example: "13812345678"
  - id: shop_name
    type: text
    label: {zh: 店名, en: Shop name}
    constraints:
      - check: {field: shop_name, min_length: 4}
        message: {zh: 店名至少 4 个字, en: The shop name needs at least 4 characters}
    example: 河口小王面馆
items:
  - code: T-REG
    name: {zh: 个体工商户设立登记, en: Registering a sole trader}
    aliases: [开店登记, 办执照]
    category: trade
    department: market
    legal_basis: {zh: 《促进个体工商户发展条例》, en: Sole trader regulations}
    statutory_days: 15
    promised_days: 1
    fee: {zh: 不收费, en: Free}
    kind: promised
    queue: q-trade
    questions:
      - id: agent
        text: {zh: 是否委托他人办理？, en: "Is an agent applying?"}
      - id: form
        kind: choice
        text: {zh: 经营形式？, en: "Form of business?"}
        options:
          - {value: person, label: {zh: 个人经营, en: One person}}
          - {value: family, label: {zh: 家庭经营, en: Family}}
          - {value: chain, label: {zh: 连锁加盟, en: Franchise}}
      - id: rented
        text: {zh: 经营场所是否租赁？, en: "Is the shop rented?"}
        ask_if: {question: form, in: [person, family]}
      - id: has_lease
        text: {zh: 是否已签租赁合同？, en: "Is the lease signed?"}
        ask_if: {question: rented, equals: true}
    refusals:
      - when: {question: form, equals: chain}
        reason: {zh: 连锁加盟须以企业形式登记, en: A franchise must register as a company}
        instead: {zh: 请办理“企业设立登记”, en: Apply for company registration instead}
      - when: {question: has_lease, equals: false}
        reason: {zh: 须先取得经营场所, en: You need premises first}
    materials:
      - use: id_card
      - id: lease
        name: {zh: 租赁合同, en: Lease}
        copies: 1
        issuer: {zh: 出租方, en: The landlord}
        obtain: {zh: 与出租方签订, en: Signed with the landlord}
        when: {question: rented, equals: true}
      - id: title_deed
        name: {zh: 房产证, en: Title deed}
        copies: 1
        issuer: {zh: 不动产登记中心, en: Real-estate registry}
        obtain: {zh: 本人携带, en: Bring your own}
        when: {question: rented, equals: false}
      - id: family_book
        name: {zh: 户口簿, en: Household booklet}
        issuer: {zh: 派出所, en: Police station}
        obtain: {zh: 户主保管, en: Kept by the head of household}
        when: {question: form, equals: family}
      - {use: proxy_letter, when: {question: agent, equals: true}}
    fields:
      - use: person_name
      - use: person_id
      - use: phone
      - use: shop_name
      - id: capital
        type: money
        label: {zh: 资金数额（元）, en: Capital (yuan)}
        constraints:
          - check: {field: capital, gt: 0}
            message: {zh: 资金数额须大于 0, en: The capital must be above 0}
        example: "5000.00"
      - id: staff
        type: integer
        label: {zh: 从业人数, en: Employees}
        constraints:
          - check: {field: staff, gte: 1}
            message: {zh: 至少 1 人, en: At least 1 person}
        example: 2
      - id: open_date
        type: date
        label: {zh: 开业日期, en: Opening date}
        constraints:
          - check: {field: open_date, gte: "2020-01-01"}
            message: {zh: 开业日期不早于 2020 年, en: Not before 2020}
        example: "2026-05-01"
      - id: has_helper
        type: yesno
        label: {zh: 是否有帮工, en: "Any helpers?"}
        required: false
        example: true
      - id: helper_name
        type: text
        label: {zh: 帮工姓名, en: Helper's name}
        required: false
        required_if: {field: has_helper, equals: true}
        example: 李小红
      - id: helper_count
        type: integer
        label: {zh: 帮工人数, en: Number of helpers}
        required: false
        relevant_if: {field: has_helper, equals: true}
        example: 1
      - id: goods
        type: multi_choice
        label: {zh: 经营品类, en: Goods}
        options:
          - {value: noodles, label: {zh: 面食, en: Noodles}}
          - {value: drinks, label: {zh: 饮品, en: Drinks}}
          - {value: snacks, label: {zh: 小吃, en: Snacks}}
        example: [noodles, drinks]
      - id: scope
        type: long_text
        label: {zh: 经营范围, en: Business scope}
        example: 餐饮服务
      - id: shop_address
        type: address
        label: {zh: 经营场所, en: Premises}
        example: {province: 江苏省, city: 苏州市, district: 吴中区, detail: 河口镇老街 3 号}
  - code: T-TAX
    name: {zh: 新办纳税人涉税事项, en: Tax matters for new taxpayers}
    category: trade
    department: tax
    legal_basis: {zh: 《税收征收管理法》, en: Tax Administration Law}
    statutory_days: 0
    promised_days: 0
    fee: {zh: 不收费, en: Free}
    kind: immediate
    queue: q-trade
    questions:
      - id: agent
        text: {zh: 是否委托他人办理？, en: "Is an agent applying?"}
      - id: invoices
        text: {zh: 是否需要领用发票？, en: "Do you need invoices?"}
    materials:
      - use: id_card
      - use: licence
      - {use: proxy_letter, when: {question: agent, equals: true}}
      - id: invoice_seal
        name: {zh: 发票专用章, en: Invoice seal}
        issuer: {zh: 刻章单位, en: Seal engraver}
        obtain: {zh: 刻制后携带, en: Bring it once engraved}
        when: {question: invoices, equals: true}
    fields:
      - use: person_name
      - use: person_id
      - use: phone
      - id: tax_type
        type: choice
        label: {zh: 纳税人类型, en: Taxpayer type}
        options:
          - {value: small, label: {zh: 小规模纳税人, en: Small-scale}}
          - {value: general, label: {zh: 一般纳税人, en: General}}
        example: small
  - code: T-SEAL
    name: {zh: 公章刻制备案, en: Registering a seal engraving}
    category: trade
    department: police
    legal_basis: {zh: 《印铸刻字业暂行管理规则》, en: Seal engraving rules}
    statutory_days: 0
    promised_days: 0
    fee: {zh: 不收费, en: Free}
    kind: immediate
    queue: q-trade
    questions:
      - id: agent
        text: {zh: 是否委托他人办理？, en: "Is an agent applying?"}
    materials:
      - use: id_card
      - {use: licence, copies: 2}
      - {use: proxy_letter, when: {question: agent, equals: true}}
    fields:
      - use: person_name
      - use: shop_name
      - id: seal_count
        type: integer
        label: {zh: 刻制枚数, en: Number of seals}
        example: 1
  - code: L-BABY
    name: {zh: 新生儿医保参保登记, en: Medical insurance for a newborn}
    aliases: [宝宝医保]
    category: life
    department: health
    legal_basis: {zh: 《社会保险法》, en: Social Insurance Law}
    statutory_days: 0
    promised_days: 0
    fee: {zh: 不收费, en: Free}
    kind: immediate
    queue: q-life
    questions:
      - id: local
        text: {zh: 是否本地户口？, en: "Local hukou?"}
    refusals:
      - when: {question: local, equals: false}
        reason: {zh: 须在户籍地参保, en: Enrol where the hukou is}
        instead: {zh: 请到户籍地医保窗口, en: Go to the office where the hukou is}
    materials:
      - id: birth_cert
        name: {zh: 出生医学证明, en: Birth certificate}
        issuer: {zh: 医院, en: Hospital}
        obtain: {zh: 出生医院开具, en: From the hospital}
    fields:
      - id: child_name
        type: text
        label: {zh: 孩子姓名, en: Child's name}
        example: 王小宝
      - id: child_id
        type: id_number
        label: {zh: 孩子身份证号码, en: Child's ID number}
        example: "110105202401010030"
  - code: L-BIRTH
    name: {zh: 出生医学证明办理, en: Medical birth certificate}
    category: life
    department: health
    legal_basis: {zh: 《母婴保健法》, en: Maternal and Infant Health Law}
    statutory_days: 0
    promised_days: 0
    fee: {zh: 不收费, en: Free}
    kind: immediate
    queue: q-life
    materials:
      - use: id_card
    fields:
      - use: person_name
  - code: L-HUKOU
    name: {zh: 出生户口登记, en: Birth registration}
    category: life
    department: police
    legal_basis: {zh: 《户口登记条例》, en: Household Registration Regulations}
    statutory_days: 0
    promised_days: 0
    fee: {zh: 不收费, en: Free}
    kind: immediate
    queue: q-life
    materials:
      - use: id_card
    fields:
      - use: person_name
bundles:
  - code: B-SHOP
    name: {zh: 我要开店——小吃店, en: Opening a snack shop}
    aliases: [开店一件事]
    queue: q-trade
    members:
      - {item: T-REG}
      - {item: T-TAX}
      - {item: T-SEAL, required: false}
    shared_fields: [person_name, person_id, phone, shop_name]
life_events:
  - code: E-BIRTH
    name: {zh: 新生儿出生, en: A baby is born}
    steps:
      - {item: L-BIRTH, next: [L-HUKOU]}
      - {item: L-HUKOU, next: [L-BABY]}
      - {item: L-BABY}
end: true
"""


def sample_catalog() -> Catalog:
    return parse_catalog(SAMPLE_YAML, "hekou.yaml")


def line_of(text: str, marker: str, occurrence: int = 1) -> int:
    """The 1-based line number of the n-th line containing ``marker``."""
    found = [n for n, line in enumerate(text.splitlines(), 1) if marker in line]
    assert len(found) >= occurrence, f"marker {marker!r} not in the text"
    return found[occurrence - 1]


def column_of(text: str, marker: str, occurrence: int = 1) -> int:
    """The 1-based column where ``marker`` starts on its line."""
    line = text.splitlines()[line_of(text, marker, occurrence) - 1]
    return line.index(marker) + 1


ITEM_TEMPLATE = """\
  - code: {code}
    name: {{zh: "{zh}", en: "{en}"}}
    aliases: [{aliases}]
    category: {category}
    department: market
    legal_basis: {{zh: 法规, en: A law}}
    statutory_days: 0
    promised_days: 0
    fee: {{zh: 不收费, en: Free}}
    kind: immediate
    queue: q-life
    materials:
      - use: id_card
    fields:
      - use: person_name
"""


def catalog_of_names(entries: list[tuple[str, str, str, list[str]]]) -> Catalog:
    """The sample bureau with only these items: (code, zh name, category, aliases)."""
    head = SAMPLE_YAML.split("items:\n")[0]
    items = "".join(
        ITEM_TEMPLATE.format(
            code=code,
            zh=zh,
            en=f"Item {code}",
            aliases=", ".join(f'"{a}"' for a in aliases),
            category=category,
        )
        for code, zh, category, aliases in entries
    )
    return parse_catalog(head + "items:\n" + items + "end: true\n", "names.yaml")
