#include "generator/names.h"

namespace jz::names {
namespace {

// Tibetan names are built from a small stock of Buddhist-derived words, so a county has many
// people of the same name; the lists keep roughly the order of how often each part occurs.
constexpr std::string_view kTibetanLead[] = {
    "扎西", "次仁", "格桑", "尼玛", "达瓦", "巴桑", "边巴", "普布",
    "白玛", "米玛", "索朗", "益西", "嘎玛", "拉巴", "央拉",
};

constexpr std::string_view kTibetanMale[] = {
    "多吉", "平措", "旺堆", "洛桑", "顿珠", "次旦", "罗布", "桑珠",   "贡布", "仁增",
    "群培", "强巴", "丹增", "土登", "阿旺", "欧珠", "加措", "江村",   "四郎", "旺杰",
    "晋美", "朗杰", "泽仁", "曲扎", "索南", "登巴", "克珠", "多布杰",
};

constexpr std::string_view kTibetanFemale[] = {
    "卓玛", "央金", "拉姆", "曲珍", "德吉", "旺姆", "措姆", "琼达", "卓嘎", "央宗", "玉珍", "次珍", "桑姆",
    "德庆", "白珍", "拉珍", "普赤", "仓决", "曲宗", "达珍", "巴珍", "玉措", "拉宗", "次央", "边珍", "格珍",
};

constexpr std::string_view kHanSurnames[] = {
    "王", "李", "张", "杨", "刘", "陈", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "罗", "高", "林", "郑", "梁", "谢", "唐", "许", "冯", "邓", "曹", "彭", "蒋",
};

constexpr std::string_view kHanGivenMale[] = {
    "建国", "国强", "志刚", "伟", "强", "军",   "勇",   "杰",   "涛",   "明",
    "刚",   "平",   "建华", "海", "波", "鹏",   "磊",   "超",   "文军", "德明",
    "正华", "小龙", "俊杰", "浩", "宇", "永福", "德贵", "成林", "红兵", "建军",
};

constexpr std::string_view kHanGivenFemale[] = {
    "芳",   "丽",   "娟",   "敏",   "静",   "霞",   "燕",   "红",   "秀英", "桂兰",
    "玉兰", "丽娟", "春梅", "小红", "秀兰", "海燕", "雪梅", "婷",   "慧",   "琴",
    "萍",   "秀珍", "玉梅", "桂芳", "金凤", "淑芬", "晓琳", "欣怡", "梦瑶", "子涵",
};

}  // namespace

std::span<const std::string_view> TibetanLead() { return kTibetanLead; }
std::span<const std::string_view> TibetanMale() { return kTibetanMale; }
std::span<const std::string_view> TibetanFemale() { return kTibetanFemale; }
std::span<const std::string_view> HanSurnames() { return kHanSurnames; }
std::span<const std::string_view> HanGivenMale() { return kHanGivenMale; }
std::span<const std::string_view> HanGivenFemale() { return kHanGivenFemale; }

}  // namespace jz::names
