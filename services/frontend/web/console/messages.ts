/** The console's own messages (react-admin's come from ra-language-russian / ra-language-english). */
export const consoleRu = {
  rail: {
    console: "Консоль инженера",
    importItems: "Импорт товаров",
    importHelp:
      "CSV с заголовком name,description,logo_url,balance,price_penny,category или JSON-массив. Всё или ничего: при ошибке не сохраняется ни одна строка.",
    importButton: "Импортировать",
    imported: "Импортировано строк: %{count}",
    rejected: "Отклонённые строки",
    bindRun: "Привязать к рейсу",
    bound: "Магазин привязан к рейсу",
    run: "Рейс",
    items: "Товары",
    revoke: "Отозвать",
    ticketQr: "QR-код билета",
    privilegesReplace: "Отмеченные права заменяют все прежние; сеансы инженера завершаются.",
    print: "Печать",
    revokeTerminal: "Отозвать терминал магазина",
    confirmRevokeTerminal:
      "Отозвать ключ терминала этого магазина? Терминалу придётся зарегистрироваться заново.",
    terminalRevoked: "Терминал отозван",
  },
  resources: {
    stations: {
      name: "Станция |||| Станции",
      fields: {
        id: "Код",
        name_ru: "Название (рус.)",
        name_en: "Название (англ.)",
        time_zone: "Часовой пояс",
      },
    },
    trains: {
      name: "Поезд |||| Поезда",
      fields: { number: "Номер", name: "Название", stops: "Остановки", wagons: "Вагоны" },
    },
    runs: {
      name: "Рейс |||| Рейсы",
      fields: {
        train_number: "Поезд",
        departure: "Отправление",
        arrival: "Прибытие",
        origin: "Откуда",
        terminus: "Куда",
      },
    },
    stores: {
      name: "Магазин |||| Магазины",
      fields: {
        name: "Название",
        description: "Описание",
        store_type: "Тип",
        logo_url: "Логотип",
        balance: "Остаток",
        price_penny: "Цена, коп.",
        category: "Категория",
      },
    },
    robots: {
      name: "Робот |||| Роботы",
      fields: {
        robot_model_name: "Модель",
        robot_model_id: "Идентификатор модели",
        login: "Логин инженера",
        password: "Пароль инженера",
        public_key: "Открытый ключ (PEM)",
      },
    },
    passengers: { name: "Пассажир |||| Пассажиры", fields: { name: "Имя", id: "ID" } },
    audit: {
      name: "Журнал действий |||| Журнал действий",
      fields: {
        at: "Когда",
        actor: "Кто",
        actor_login: "Кто",
        action: "Действие",
        entity: "Объект",
        entity_id: "ID объекта",
        status: "Ответ",
      },
    },
    tickets: {
      name: "Билет |||| Билеты",
      fields: {
        train_number: "Поезд",
        wagon_number: "Вагон",
        place_number: "Место",
        date: "Отправление",
        user_id: "Пассажир",
        run_id: "Рейс",
        station_id: "Откуда",
        destination: "Куда",
      },
    },
    engineers: {
      name: "Инженер |||| Инженеры",
      fields: { login: "Логин", password: "Пароль", privileges: "Права" },
    },
  },
};

export const consoleEn: typeof consoleRu = {
  rail: {
    console: "Engineer console",
    importItems: "Import items",
    importHelp:
      "CSV with the header name,description,logo_url,balance,price_penny,category, or a JSON array. All or nothing: on any error no row is stored.",
    importButton: "Import",
    imported: "Rows imported: %{count}",
    rejected: "Rejected rows",
    bindRun: "Bind to a run",
    bound: "The store is bound to the run",
    run: "Run",
    items: "Items",
    revoke: "Revoke",
    ticketQr: "Ticket QR code",
    privilegesReplace: "The checked privileges replace all previous ones; the engineer's sessions end.",
    print: "Print",
    revokeTerminal: "Revoke the store's terminal",
    confirmRevokeTerminal: "Revoke this store's terminal key? The terminal will have to be enrolled again.",
    terminalRevoked: "Terminal revoked",
  },
  resources: {
    stations: {
      name: "Station |||| Stations",
      fields: { id: "Code", name_ru: "Name (Russian)", name_en: "Name (English)", time_zone: "Time zone" },
    },
    trains: {
      name: "Train |||| Trains",
      fields: { number: "Number", name: "Name", stops: "Stops", wagons: "Wagons" },
    },
    runs: {
      name: "Run |||| Runs",
      fields: {
        train_number: "Train",
        departure: "Departure",
        arrival: "Arrival",
        origin: "From",
        terminus: "To",
      },
    },
    stores: {
      name: "Store |||| Stores",
      fields: {
        name: "Name",
        description: "Description",
        store_type: "Type",
        logo_url: "Logo",
        balance: "In stock",
        price_penny: "Price, kopecks",
        category: "Category",
      },
    },
    robots: {
      name: "Robot |||| Robots",
      fields: {
        robot_model_name: "Model",
        robot_model_id: "Model id",
        login: "Engineer login",
        password: "Engineer password",
        public_key: "Public key (PEM)",
      },
    },
    passengers: { name: "Passenger |||| Passengers", fields: { name: "Name", id: "ID" } },
    audit: {
      name: "Audit log |||| Audit log",
      fields: {
        at: "When",
        actor: "Who",
        actor_login: "Who",
        action: "Action",
        entity: "Entity",
        entity_id: "Entity id",
        status: "Answer",
      },
    },
    tickets: {
      name: "Ticket |||| Tickets",
      fields: {
        train_number: "Train",
        wagon_number: "Wagon",
        place_number: "Seat",
        date: "Departure",
        user_id: "Passenger",
        run_id: "Run",
        station_id: "From",
        destination: "To",
      },
    },
    engineers: {
      name: "Engineer |||| Engineers",
      fields: { login: "Login", password: "Password", privileges: "Privileges" },
    },
  },
};
