//! Input vocabulary (输入词汇): the words the engine *recognises* in user data, never words it
//! shows. Header synonyms of the order columns (客户编号, 金额 …) and of the SWOT columns (象限,
//! 评分 …), the quadrant names a SWOT file may use (优势, 劣势, 机会, 威胁, also traditional), the
//! competitor cells that mean "us" (我方 …), date and number marks (年, 月, 日, 元, ￥, 分, ％) and
//! the full-width separators headers are cleaned of.
//!
//! This is the one file of `src/engine` and `src/charts` where CJK string literals are allowed
//! (`tests/no_cjk.rs` lists it): adding a word here widens what an import understands. Words the
//! user *reads* (labels, names, messages) belong in `src/i18n.rs`, and the engine returns kinds
//! and values for it to word.

use super::dimensions::AttributeKind;
use super::dimensions::LineKind;
use super::ingest::columns::Role;
use super::ingest::SummaryRole;
use super::survey::{Intent, SurveyRole};
use super::swot::{Quadrant, SwotColumn};

/// Known header names per role, normalised (lowercase, no spaces, `_`, `-`, `.`, `#`, `()`).
pub const HEADER_ALIASES: [(Role, &[&str]); 6] = [
    (
        Role::Customer,
        &[
            "customer",
            "customerid",
            "customerno",
            "customernumber",
            "customercode",
            "customername",
            "custid",
            "custno",
            "cust",
            "client",
            "clientid",
            "clientno",
            "member",
            "memberid",
            "memberno",
            "buyer",
            "buyerid",
            "userid",
            "user",
            "account",
            "accountid",
            "shopper",
            "客户",
            "客户编号",
            "客户id",
            "客户号",
            "客户代码",
            "客户名称",
            "客户名",
            "客户编码",
            "会员",
            "会员id",
            "会员编号",
            "会员号",
            "会员卡号",
            "顾客",
            "顾客id",
            "顾客编号",
            "买家",
            "买家id",
            "买家昵称",
            "用户",
            "用户id",
            "用户编号",
            "客戶",
            "客戶編號",
            "客戶id",
            "客戶代碼",
            "客戶名稱",
            "會員",
            "會員編號",
            "會員id",
            "顧客",
            "顧客編號",
            "買家",
            "用戶id",
        ],
    ),
    (
        Role::Order,
        &[
            "order",
            "orderid",
            "orderno",
            "ordernumber",
            "ordercode",
            "invoice",
            "invoiceno",
            "invoiceid",
            "invoicenumber",
            "transaction",
            "transactionid",
            "receipt",
            "receiptno",
            "ticket",
            "订单",
            "订单号",
            "订单编号",
            "订单id",
            "单号",
            "单据号",
            "单据编号",
            "交易号",
            "交易编号",
            "流水号",
            "小票号",
            "发票号",
            "訂單",
            "訂單號",
            "訂單編號",
            "單號",
            "交易編號",
            "發票號碼",
        ],
    ),
    (
        Role::Date,
        &[
            "date",
            "orderdate",
            "invoicedate",
            "purchasedate",
            "transactiondate",
            "saledate",
            "salesdate",
            "datetime",
            "time",
            "timestamp",
            "ordertime",
            "createdat",
            "created",
            "day",
            "日期",
            "订单日期",
            "下单时间",
            "下单日期",
            "交易日期",
            "交易时间",
            "购买日期",
            "购买时间",
            "销售日期",
            "成交日期",
            "成交时间",
            "付款时间",
            "支付时间",
            "创建时间",
            "时间",
            "訂單日期",
            "下單時間",
            "下單日期",
            "交易時間",
            "購買日期",
            "銷售日期",
            "成交時間",
            "時間",
        ],
    ),
    (
        Role::Amount,
        &[
            "amount",
            "sales",
            "sale",
            "revenue",
            "total",
            "totalamount",
            "netamount",
            "netsales",
            "value",
            "ordervalue",
            "ordertotal",
            "spend",
            "payment",
            "paid",
            "amountpaid",
            "turnover",
            "gmv",
            "金额",
            "销售额",
            "实付金额",
            "成交金额",
            "订单金额",
            "销售金额",
            "支付金额",
            "付款金额",
            "交易金额",
            "实收金额",
            "应付金额",
            "消费金额",
            "营业额",
            "收入",
            "金額",
            "銷售額",
            "實付金額",
            "成交金額",
            "訂單金額",
            "銷售金額",
            "交易金額",
            "消費金額",
        ],
    ),
    (
        Role::Profit,
        &[
            "profit",
            "grossprofit",
            "margin",
            "grossmargin",
            "netprofit",
            "利润",
            "毛利",
            "毛利润",
            "毛利额",
            "净利润",
            "利潤",
            "毛利潤",
        ],
    ),
    (
        Role::Quantity,
        &[
            "quantity",
            "qty",
            "units",
            "unitssold",
            "pieces",
            "count",
            "数量",
            "件数",
            "销量",
            "购买数量",
            "數量",
            "件數",
            "銷量",
        ],
    ),
];

/// Full-width separators dropped from a header before matching (with their ASCII forms).
pub const HEADER_FULL_WIDTH_SEPARATORS: [char; 4] = ['（', '）', '　', '：'];

/// Currency words a number cell may carry (`100元`, `RMB 100`).
pub const CURRENCY_WORDS: [&str; 8] = ["RMB", "CNY", "USD", "EUR", "NT$", "HK$", "US$", "元"];

/// The full-width yen/yuan sign, skipped in number cells like `¥`.
pub const FULL_WIDTH_YUAN: char = '￥';

/// The marks of a Chinese date, `2024年1月5日` (or `5号`): year, month, and the day marks.
pub const DATE_YEAR: char = '年';
/// See [`DATE_YEAR`].
pub const DATE_MONTH: char = '月';
/// See [`DATE_YEAR`].
pub const DATE_DAY: [char; 2] = ['日', '号'];

/// Competitor cells that mean our own board in a CSV file (compared trimmed, ignoring ASCII
/// case); an empty cell does too.
pub const US_ALIASES: [&str; 16] = [
    "us",
    "we",
    "ours",
    "self",
    "our company",
    "我方",
    "本公司",
    "我司",
    "我们",
    "我們",
    "我公司",
    "本企业",
    "本企業",
    "自己",
    "本方",
    "己方",
];
/// The simplified Chinese quadrant names in S, W, O, T order, as a SWOT file writes them.
pub const QUADRANT_NAMES_ZH: [&str; 4] = ["优势", "劣势", "机会", "威胁"];

/// Every word that names a quadrant (lowercase; the letter, English, simplified and
/// traditional Chinese).
pub fn quadrant_of_word(word: &str) -> Option<Quadrant> {
    Some(match word.to_ascii_lowercase().as_str() {
        "s" | "strength" | "strengths" | "优势" | "優勢" => Quadrant::Strengths,
        "w" | "weakness" | "weaknesses" | "劣势" | "劣勢" => Quadrant::Weaknesses,
        "o" | "opportunity" | "opportunities" | "机会" | "機會" => Quadrant::Opportunities,
        "t" | "threat" | "threats" | "威胁" | "威脅" => Quadrant::Threats,
        _ => return None,
    })
}

/// Characters that separate a quadrant's name from its letter: `优势(S)`, `S-优势`, `【S】优势`.
pub const QUADRANT_SEPARATORS: &str = "()[]【】-:/|、·";

/// A score cell may end in `分` (`8分`).
pub const SCORE_SUFFIX: char = '分';

/// The percent signs a weight cell may end in.
pub const PERCENT_SIGNS: [char; 2] = ['%', '％'];

/// The header names that mean a SWOT column (lowercase; the first is the English name the
/// export writes).
pub fn swot_column_aliases(column: SwotColumn) -> &'static [&'static str] {
    match column {
        SwotColumn::Quadrant => &[
            "quadrant", "category", "type", "swot", "象限", "类别", "類別", "类型", "類型", "分类",
            "分類",
        ],
        SwotColumn::Item => &[
            "item",
            "factor",
            "text",
            "description",
            "项目",
            "項目",
            "条目",
            "條目",
            "内容",
            "內容",
            "描述",
            "因素",
            "要素",
        ],
        SwotColumn::Score => &[
            "score", "rating", "points", "评分", "評分", "分数", "分數", "得分", "打分", "分值",
        ],
        SwotColumn::Weight => &["weight", "权重", "權重", "比重"],
        SwotColumn::Respondent => &[
            "respondent",
            "rater",
            "scorer",
            "评分人",
            "評分人",
            "打分人",
            "答卷人",
            "受访者",
            "受訪者",
            "填写人",
            "填寫人",
        ],
        SwotColumn::Competitor => &[
            "competitor",
            "company",
            "firm",
            "board",
            "竞争对手",
            "競爭對手",
            "对手",
            "對手",
            "竞争者",
            "競爭者",
            "公司",
            "企业",
            "企業",
        ],
    }
}

/// The canonical simplified Chinese header of a SWOT column (its first Chinese alias), named
/// in the message of a file that lacks it: `score (评分)`.
pub fn swot_column_zh(column: SwotColumn) -> &'static str {
    swot_column_aliases(column)
        .iter()
        .find(|alias| !alias.is_ascii())
        .copied()
        .unwrap_or("")
}

/// The header row of the Chinese sample (`engine::sample`): header names the import recognises
/// ([`HEADER_ALIASES`]), so the sample goes through the same column guessing as a user's file.
pub const SAMPLE_HEADER_ZH: &str = "客户编号,订单号,订单日期,销售额,利润,数量\n";

/// Known header names of the survey columns (满意度, 推荐意愿, 复购意向, 填写日期 …), normalised as
/// [`HEADER_ALIASES`]; the customer column uses the order file's customer names.
pub const SURVEY_HEADER_ALIASES: [(SurveyRole, &[&str]); 4] = [
    (
        SurveyRole::Satisfaction,
        &[
            "satisfaction",
            "satisfied",
            "csat",
            "satisfactionscore",
            "overallsatisfaction",
            "rating",
            "servicerating",
            "满意度",
            "满意程度",
            "总体满意度",
            "整体满意度",
            "满意度评分",
            "服务满意度",
            "客户满意度",
            "满意",
            "评分",
            "评价",
            "滿意度",
            "整體滿意度",
            "服務滿意度",
            "評分",
            "評價",
        ],
    ),
    (
        SurveyRole::Recommend,
        &[
            "nps",
            "recommend",
            "likelihoodtorecommend",
            "recommendation",
            "wouldrecommend",
            "npsscore",
            "推荐意愿",
            "推荐可能性",
            "推荐度",
            "推荐指数",
            "净推荐值",
            "是否推荐",
            "推荐",
            "推薦意願",
            "推薦可能性",
            "推薦度",
            "淨推薦值",
            "推薦",
        ],
    ),
    (
        SurveyRole::Repurchase,
        &[
            "repurchase",
            "intenttorepurchase",
            "repurchaseintent",
            "repurchaseintention",
            "buyagain",
            "wouldbuyagain",
            "复购意向",
            "复购意愿",
            "复购",
            "再次购买",
            "回购意愿",
            "是否复购",
            "再购意向",
            "购买意向",
            "回購意願",
            "再次購買",
            "購買意願",
            "複購意願",
        ],
    ),
    (
        SurveyRole::Date,
        &[
            "date",
            "responsedate",
            "surveydate",
            "submitted",
            "submittedat",
            "submitdate",
            "timestamp",
            "日期",
            "填写日期",
            "填写时间",
            "提交时间",
            "提交日期",
            "调查日期",
            "回复日期",
            "答卷时间",
            "填寫日期",
            "提交時間",
            "調查日期",
        ],
    ),
];

/// Satisfaction words (normalised: lowercase, without spaces, `-`, `_`, `.`, `'`) and their
/// level on the five-point label scale, 5 = very satisfied … 1 = very dissatisfied.
pub const SATISFACTION_LABELS: &[(&str, u8)] = &[
    ("非常满意", 5),
    ("很满意", 5),
    ("特别满意", 5),
    ("十分满意", 5),
    ("非常滿意", 5),
    ("很滿意", 5),
    ("特別滿意", 5),
    ("十分滿意", 5),
    ("verysatisfied", 5),
    ("extremelysatisfied", 5),
    ("completelysatisfied", 5),
    ("满意", 4),
    ("比较满意", 4),
    ("较满意", 4),
    ("滿意", 4),
    ("比較滿意", 4),
    ("較滿意", 4),
    ("satisfied", 4),
    ("somewhatsatisfied", 4),
    ("fairlysatisfied", 4),
    ("一般", 3),
    ("普通", 3),
    ("中立", 3),
    ("还行", 3),
    ("还可以", 3),
    ("尚可", 3),
    ("一般般", 3),
    ("還行", 3),
    ("還可以", 3),
    ("neutral", 3),
    ("average", 3),
    ("neithersatisfiednordissatisfied", 3),
    ("neither", 3),
    ("ok", 3),
    ("okay", 3),
    ("fair", 3),
    ("不满意", 2),
    ("比较不满意", 2),
    ("较不满意", 2),
    ("不太满意", 2),
    ("不滿意", 2),
    ("不太滿意", 2),
    ("比較不滿意", 2),
    ("dissatisfied", 2),
    ("unsatisfied", 2),
    ("somewhatdissatisfied", 2),
    ("notsatisfied", 2),
    ("非常不满意", 1),
    ("很不满意", 1),
    ("极不满意", 1),
    ("特别不满意", 1),
    ("十分不满意", 1),
    ("非常不滿意", 1),
    ("很不滿意", 1),
    ("極不滿意", 1),
    ("特別不滿意", 1),
    ("十分不滿意", 1),
    ("verydissatisfied", 1),
    ("extremelydissatisfied", 1),
    ("veryunsatisfied", 1),
    ("completelydissatisfied", 1),
    ("verypoor", 1),
];

/// Intent-to-repurchase words (normalised as [`SATISFACTION_LABELS`]) and what they say.
pub const INTENT_WORDS: &[(&str, Intent)] = &[
    ("会", Intent::Yes),
    ("是", Intent::Yes),
    ("愿意", Intent::Yes),
    ("肯定会", Intent::Yes),
    ("可能会", Intent::Yes),
    ("一定会", Intent::Yes),
    ("會", Intent::Yes),
    ("願意", Intent::Yes),
    ("肯定會", Intent::Yes),
    ("一定會", Intent::Yes),
    ("yes", Intent::Yes),
    ("y", Intent::Yes),
    ("likely", Intent::Yes),
    ("verylikely", Intent::Yes),
    ("definitely", Intent::Yes),
    ("will", Intent::Yes),
    ("true", Intent::Yes),
    ("不会", Intent::No),
    ("否", Intent::No),
    ("不愿意", Intent::No),
    ("肯定不会", Intent::No),
    ("不可能", Intent::No),
    ("不會", Intent::No),
    ("不願意", Intent::No),
    ("肯定不會", Intent::No),
    ("no", Intent::No),
    ("n", Intent::No),
    ("unlikely", Intent::No),
    ("veryunlikely", Intent::No),
    ("wont", Intent::No),
    ("false", Intent::No),
    ("不确定", Intent::Unsure),
    ("不一定", Intent::Unsure),
    ("说不准", Intent::Unsure),
    ("也许", Intent::Unsure),
    ("可能", Intent::Unsure),
    ("不確定", Intent::Unsure),
    ("說不準", Intent::Unsure),
    ("maybe", Intent::Unsure),
    ("unsure", Intent::Unsure),
    ("notsure", Intent::Unsure),
    ("dontknow", Intent::Unsure),
];

/// Known header names of customer attribute columns ([`crate::engine::dimensions`]), normalised
/// as [`HEADER_ALIASES`]: only exact names are taken as a guess (a partial name such as
/// `客户类型` must not take the customer column's place, nor `销售员` the amount's).
pub const ATTRIBUTE_ALIASES: [(AttributeKind, &[&str]); 7] = [
    (
        AttributeKind::Region,
        &[
            "region",
            "area",
            "province",
            "state",
            "city",
            "territory",
            "地区",
            "区域",
            "大区",
            "省份",
            "省",
            "城市",
            "市",
            "地區",
            "區域",
            "省份城市",
        ],
    ),
    (
        AttributeKind::Industry,
        &["industry", "sector", "vertical", "行业", "所属行业", "行業"],
    ),
    (
        AttributeKind::Salesperson,
        &[
            "salesperson",
            "salesrep",
            "salesman",
            "rep",
            "accountmanager",
            "owner",
            "销售员",
            "业务员",
            "销售代表",
            "客户经理",
            "销售人员",
            "負責業務",
            "業務員",
            "銷售員",
        ],
    ),
    (
        AttributeKind::Channel,
        &[
            "channel",
            "saleschannel",
            "渠道",
            "销售渠道",
            "通路",
            "銷售渠道",
        ],
    ),
    (
        AttributeKind::CustomerType,
        &[
            "customertype",
            "customersegment",
            "segment",
            "clienttype",
            "客户类型",
            "客户类别",
            "客户分类",
            "客戶類型",
            "客戶類別",
        ],
    ),
    (
        AttributeKind::Age,
        &["age", "customerage", "年龄", "客户年龄", "年齡"],
    ),
    (
        AttributeKind::BirthYear,
        &[
            "birthyear",
            "yearofbirth",
            "foundingyear",
            "yearfounded",
            "founded",
            "出生年份",
            "出生年",
            "成立年份",
            "成立年",
        ],
    ),
];

/// Known header names of line attribute columns ([`crate::engine::dimensions::lines`]),
/// normalised as [`HEADER_ALIASES`]; exact names only, as for [`ATTRIBUTE_ALIASES`].
pub const LINE_ALIASES: [(LineKind, &[&str]); 3] = [
    (
        LineKind::Category,
        &[
            "category",
            "productcategory",
            "itemcategory",
            "productline",
            "品类",
            "类别",
            "商品类别",
            "产品类别",
            "商品分类",
            "产品分类",
            "品類",
            "類別",
            "商品類別",
        ],
    ),
    (
        LineKind::Product,
        &[
            "product",
            "productname",
            "item",
            "itemname",
            "产品",
            "产品名称",
            "商品",
            "商品名称",
            "品名",
            "產品",
            "產品名稱",
            "商品名稱",
        ],
    ),
    (
        LineKind::Sku,
        &[
            "sku",
            "skuid",
            "itemcode",
            "productcode",
            "productid",
            "itemid",
            "货号",
            "商品编码",
            "产品编码",
            "商品编号",
            "产品编号",
            "貨號",
            "商品編碼",
        ],
    ),
];

/// Known header names of a per-customer summary's columns (订单数, 销售额, 首次购买 …), normalised
/// as [`HEADER_ALIASES`], with the SQL pack's `vl_customers` names (`order_lines`, `orders`,
/// `return_lines`, `sales`, `profit`, `quantity`, `first_purchase`, `last_purchase`) and the
/// `first_day` / `last_day` of its totals. The customer column uses the order file's customer
/// names. Only an exact name counts: a summary is recognised by its headers, never guessed from
/// values.
pub const SUMMARY_HEADER_ALIASES: [(SummaryRole, &[&str]); 8] = [
    (
        SummaryRole::Orders,
        &[
            "orders",
            "ordercount",
            "orderscount",
            "numorders",
            "numberoforders",
            "frequency",
            "purchases",
            "purchasecount",
            "订单数",
            "订单数量",
            "订单次数",
            "购买次数",
            "消费次数",
            "购买频次",
            "訂單數",
            "購買次數",
        ],
    ),
    (
        SummaryRole::Sales,
        &[
            "sales",
            "totalsales",
            "netsales",
            "monetary",
            "revenue",
            "totalamount",
            "销售额",
            "销售金额",
            "消费金额",
            "总金额",
            "累计消费金额",
            "銷售額",
            "消費金額",
        ],
    ),
    (
        SummaryRole::Profit,
        &[
            "profit",
            "totalprofit",
            "netprofit",
            "margin",
            "利润",
            "毛利",
            "总利润",
            "利潤",
        ],
    ),
    (
        SummaryRole::FirstPurchase,
        &[
            "firstpurchase",
            "firstday",
            "firstorder",
            "firstorderdate",
            "firstpurchasedate",
            "首次购买",
            "首次购买日期",
            "首购日期",
            "首次購買",
        ],
    ),
    (
        SummaryRole::LastPurchase,
        &[
            "lastpurchase",
            "lastday",
            "lastorder",
            "lastorderdate",
            "lastpurchasedate",
            "最近购买",
            "最近购买日期",
            "末次购买",
            "末次购买日期",
            "最近一次购买",
            "最近購買",
        ],
    ),
    (
        SummaryRole::OrderLines,
        &["orderlines", "lines", "linecount", "订单行数", "明细行数"],
    ),
    (
        SummaryRole::ReturnLines,
        &[
            "returnlines",
            "returns",
            "returncount",
            "退货行数",
            "退货次数",
        ],
    ),
    (
        SummaryRole::Quantity,
        &["quantity", "totalquantity", "qty", "数量", "总数量", "數量"],
    ),
];

/// Header names (normalised by `normalize_header`) of the month column of a monthly long table
/// (每月明细, the SQL pack's `vl_monthly`): `month`, `月份` …
pub const MONTH_HEADER_ALIASES: &[&str] = &[
    "month",
    "yearmonth",
    "period",
    "monthstart",
    "月份",
    "月",
    "年月",
    "月度",
];
