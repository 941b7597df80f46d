//! The default segment table (默认分群规则) and the names of the "Other" segment: seed data.
//!
//! Each rule carries its own English and Chinese name and action because the rule table is
//! user data: the user edits both names in the RFM view and the table is saved in workspaces.
//! These are the values a new table starts from, so they sit here as data, in both languages,
//! and `tests/no_cjk.rs` allows this file by name (seed data, not UI words: labels and messages
//! come from `src/i18n.rs`).

use super::*;

/// The Chinese name of the segment of customers that match no rule.
pub const OTHER_ZH: &str = "其他";

/// The default rule table: the 11 named segments on the 1–5 scale, a complete partition of the
/// 125 cells (no overlap, no gap), so the order does not matter.
///
/// Derived from the widely used R×F grid (research §2.2: hibernating, at risk, can't lose, about
/// to sleep, need attention, loyal, promising, new, potential loyalist, champions), which covers
/// the 5×5 R×F grid exactly once, with two changes so that all 11 names of the commonly
/// published table (§1.3) appear and M is used where the published descriptions rely on it:
/// - **Lost** is split from the grid's hibernating block by R: R = 1 is Lost ("lowest recency"),
///   R = 2 stays Hibernating;
/// - **Can't Lose Them** ("made big purchases and often, but long time ago") and **At Risk**
///   share the old-and-frequent block (R 1–2, F 3–5) and are split by M: M 4–5 is Can't Lose
///   Them, M 1–3 At Risk.
///
/// | # | Segment | 中文 | R | F | M |
/// |---|---|---|---|---|---|
/// | 1 | Champions | 冠军客户 | 5 | 4–5 | 1–5 |
/// | 2 | Loyal Customers | 忠诚客户 | 3–4 | 4–5 | 1–5 |
/// | 3 | Potential Loyalist | 潜在忠诚客户 | 4–5 | 2–3 | 1–5 |
/// | 4 | New Customers | 新客户 | 5 | 1 | 1–5 |
/// | 5 | Promising | 有潜力客户 | 4 | 1 | 1–5 |
/// | 6 | Need Attention | 需要关注客户 | 3 | 3 | 1–5 |
/// | 7 | About to Sleep | 即将沉睡客户 | 3 | 1–2 | 1–5 |
/// | 8 | At Risk | 有流失风险客户 | 1–2 | 3–5 | 1–3 |
/// | 9 | Can't Lose Them | 不能失去的客户 | 1–2 | 3–5 | 4–5 |
/// | 10 | Hibernating | 休眠客户 | 2 | 1–2 | 1–5 |
/// | 11 | Lost | 流失客户 | 1 | 1–2 | 1–5 |
pub fn default_rules() -> SegmentRules {
    let rule = |name_en: &str,
                name_zh: &str,
                r: (u8, u8),
                f: (u8, u8),
                m: (u8, u8),
                action_en: &str,
                action_zh: &str| SegmentRule {
        name_en: name_en.into(),
        name_zh: name_zh.into(),
        r,
        f,
        m,
        action_en: action_en.into(),
        action_zh: action_zh.into(),
    };
    SegmentRules {
        scale: 5,
        rules: vec![
            rule(
                "Champions",
                "冠军客户",
                (5, 5),
                (4, 5),
                (1, 5),
                "Reward them: early access to new products, member perks; ask for reviews and referrals.",
                "给予回馈：新品抢先体验、会员专属礼遇；邀请评价和推荐。",
            ),
            rule(
                "Loyal Customers",
                "忠诚客户",
                (3, 4),
                (4, 5),
                (1, 5),
                "Upsell higher-value products; invite them to the loyalty programme.",
                "推荐更高价值的产品，邀请加入会员或积分计划。",
            ),
            rule(
                "Potential Loyalist",
                "潜在忠诚客户",
                (4, 5),
                (2, 3),
                (1, 5),
                "Offer membership or points; recommend related products.",
                "提供会员或积分权益，推荐相关产品。",
            ),
            rule(
                "New Customers",
                "新客户",
                (5, 5),
                (1, 1),
                (1, 5),
                "Onboard well: welcome message, first-use help, a reason to order again.",
                "做好新客引导：欢迎信息、使用指导，给出再次购买的理由。",
            ),
            rule(
                "Promising",
                "有潜力客户",
                (4, 4),
                (1, 1),
                (1, 5),
                "Build the relationship: brand story, samples, a small incentive for a second order.",
                "建立关系：介绍品牌、赠送试用，用小额优惠促成第二次购买。",
            ),
            rule(
                "Need Attention",
                "需要关注客户",
                (3, 3),
                (3, 3),
                (1, 5),
                "Send limited-time offers and recommendations based on past purchases.",
                "推送限时优惠和基于购买记录的个性化推荐。",
            ),
            rule(
                "About to Sleep",
                "即将沉睡客户",
                (3, 3),
                (1, 2),
                (1, 5),
                "Reactivate: share best-sellers and a time-limited discount.",
                "及时唤醒：推送热销商品和限时折扣。",
            ),
            rule(
                "At Risk",
                "有流失风险客户",
                (1, 2),
                (3, 5),
                (1, 3),
                "Win back with personal emails or calls, renewal offers and useful content.",
                "通过个性化邮件或电话挽回，提供复购优惠和有用内容。",
            ),
            rule(
                "Can't Lose Them",
                "不能失去的客户",
                (1, 2),
                (3, 5),
                (4, 5),
                "Contact them personally: find out what went wrong, offer new products or a strong incentive.",
                "专人联系，了解流失原因，推荐新品或提供有力优惠。",
            ),
            rule(
                "Hibernating",
                "休眠客户",
                (2, 2),
                (1, 2),
                (1, 5),
                "Offer relevant products and special discounts to rebuild interest.",
                "推荐相关产品和专属折扣，重新激发兴趣。",
            ),
            rule(
                "Lost",
                "流失客户",
                (1, 1),
                (1, 2),
                (1, 5),
                "Try one low-cost reactivation campaign; otherwise spend little on them.",
                "尝试一次低成本的唤回活动，否则不再投入过多资源。",
            ),
        ],
    }
}

/// The suggested action for customers in "Other", English.
pub const OTHER_ACTION_EN: &str = "Check the rule table: these customers match no rule.";
/// The suggested action for customers in "Other", Chinese.
pub const OTHER_ACTION_ZH: &str = "检查规则表：这些客户不符合任何规则。";
