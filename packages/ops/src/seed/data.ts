/** What the demo railway consists of (names in Russian and English; pictures under /static/demo/, made for it). */

export const STATIONS = [
  { id: "MOSCOW", name_ru: "Москва", name_en: "Moscow", time_zone: "Europe/Moscow" },
  { id: "TVER", name_ru: "Тверь", name_en: "Tver", time_zone: "Europe/Moscow" },
  { id: "BOLOGOE", name_ru: "Бологое", name_en: "Bologoye", time_zone: "Europe/Moscow" },
  { id: "SPB", name_ru: "Санкт-Петербург", name_en: "Saint Petersburg", time_zone: "Europe/Moscow" },
];

const WAGONS = [
  { number: 1, class: "first", seats: 20 },
  { number: 2, class: "business", seats: 40 },
  { number: 3, class: "comfort", seats: 60 },
  { number: 4, class: "economy", seats: 60 },
  { number: 5, class: "economy", seats: 60 },
];

/** Two trains on one line, 4 h end to end; a run leaves every 3 h, so one is always under way. */
export const TRAINS = [
  {
    number: 752,
    name: "Ласточка / Lastochka",
    stops: [
      { station_id: "MOSCOW", departure_minutes: 0 },
      { station_id: "TVER", arrival_minutes: 90, departure_minutes: 92 },
      { station_id: "BOLOGOE", arrival_minutes: 150, departure_minutes: 152 },
      { station_id: "SPB", arrival_minutes: 240 },
    ],
    wagons: WAGONS,
  },
  {
    number: 753,
    name: "Ласточка / Lastochka",
    stops: [
      { station_id: "SPB", departure_minutes: 0 },
      { station_id: "BOLOGOE", arrival_minutes: 88, departure_minutes: 90 },
      { station_id: "TVER", arrival_minutes: 148, departure_minutes: 150 },
      { station_id: "MOSCOW", arrival_minutes: 240 },
    ],
    wagons: WAGONS,
  },
];
export const RUN_EVERY_HOURS = 3;
/** Runs from this long ago (so the one under way exists) to this far ahead. */
export const RUNS_BACK_HOURS = 6;
export const RUNS_AHEAD_HOURS = 72;

const item = (
  name: string,
  description: string,
  picture: string,
  balance: number,
  price: number,
  category: string,
) => ({
  name,
  description,
  logo_url: `/static/demo/${picture}.svg`,
  balance,
  price_penny: price,
  category,
});

/** A restaurant and a shop per train; items in the robot's three categories. */
export const storesFor = (train: number) => [
  {
    name: `Вагон-ресторан ${train} / Dining car ${train}`,
    store_type: "RESTAURANT",
    description: "Горячие блюда и напитки / Hot meals and drinks",
    logo_url: "/static/demo/store-restaurant.svg",
    items: [
      item(
        "Чай / Tea",
        "Чёрный чай в подстаканнике / Black tea in a glass holder",
        "item-tea",
        200,
        15000,
        "food",
      ),
      item("Кофе / Coffee", "Капучино / Cappuccino", "item-coffee", 150, 25000, "food"),
      item("Борщ / Borscht", "Со сметаной / With sour cream", "item-soup", 40, 45000, "food"),
      item("Пирожок / Pie", "С капустой / Cabbage pie", "item-pie", 80, 12000, "food"),
      item("Сэндвич / Sandwich", "С курицей / Chicken sandwich", "item-sandwich", 60, 32000, "food"),
    ],
  },
  {
    name: `Лавка ${train} / Shop ${train}`,
    store_type: "SHOP",
    description: "Сувениры в дорогу / Souvenirs for the journey",
    logo_url: "/static/demo/store-shop.svg",
    items: [
      item(
        "Магнит с поездом / Train magnet",
        "Магнит на холодильник / Fridge magnet",
        "item-magnet",
        100,
        30000,
        "train_souvenirs",
      ),
      item(
        "Кружка / Mug",
        "Кружка с эмблемой поезда / Mug with the train's emblem",
        "item-mug",
        50,
        90000,
        "train_souvenirs",
      ),
      item(
        "Модель поезда / Model train",
        "Масштаб 1:87 / Scale 1:87",
        "item-model",
        10,
        450000,
        "train_souvenirs",
      ),
      item(
        "Открытка / Postcard",
        "Виды Петербурга / Views of Saint Petersburg",
        "item-postcard",
        300,
        8000,
        "city_souvenirs",
      ),
      item(
        "Матрёшка / Matryoshka",
        "Пять кукол / Five dolls",
        "item-matryoshka",
        30,
        150000,
        "city_souvenirs",
      ),
      item(
        "Карта города / City map",
        "Москва и Петербург / Moscow and Saint Petersburg",
        "item-map",
        120,
        20000,
        "city_souvenirs",
      ),
    ],
  },
];

export const PLACES: Record<string, { hotels: string[][]; attractions: string[][] }> = {
  SPB: {
    hotels: [
      ["Гостиница «Невский» / Nevsky Hotel", "У Московского вокзала / Next to the Moscow station"],
      ["Отель «Нева» / Neva Hotel", "Вид на реку / River view"],
    ],
    attractions: [
      ["Эрмитаж / Hermitage", "Музей на Дворцовой площади / Museum on Palace Square"],
      ["Петропавловская крепость / Peter and Paul Fortress", "Основана в 1703 году / Founded in 1703"],
    ],
  },
  MOSCOW: {
    hotels: [
      ["Гостиница «Вокзальная» / Station Hotel", "У Ленинградского вокзала / Next to Leningradsky station"],
    ],
    attractions: [
      ["Красная площадь / Red Square", "Центр Москвы / The heart of Moscow"],
      ["Третьяковская галерея / Tretyakov Gallery", "Русское искусство / Russian art"],
    ],
  },
  TVER: {
    hotels: [["Отель «Волга» / Volga Hotel", "На набережной / On the embankment"]],
    attractions: [["Путевой дворец / Travel Palace", "Дворец XVIII века / 18th-century palace"]],
  },
};

/** Engineers, one per privilege. */
export const ENGINEERS = [
  { login: "demo-admin", privileges: ["ADMIN"] },
  { login: "demo-robot-login", privileges: ["ROBOT_LOGIN"] },
  { login: "demo-store-login", privileges: ["STORE_LOGIN"] },
  { login: "demo-robot-admin", privileges: ["ROBOT_ADMIN"], card: "DEMO-CARD-0001" },
];

export const PASSENGERS = [
  "Иван Петров / Ivan Petrov",
  "Анна Смирнова / Anna Smirnova",
  "Олег Кузнецов / Oleg Kuznetsov",
];
/**
 * The passenger whose face the seed enrols (a crop of a sample photo shipped with the face models, see
 * services/face/test/images.ts): robots recognise them, and `pnpm robot:demo` validates a ticket by their face.
 */
export const FACE_PASSENGER = PASSENGERS[1]!;
export const FACE_PASSENGER_PHOTO = "fiona";
export const DEMO_PASSENGER_NAME = "Демо Пассажир / Demo Passenger";
